import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { describe, expect, it } from 'vitest';

const pkg = path.resolve(import.meta.dirname, '..');

describe('schema/ir.schema.json', () => {
  it('is the JSON Schema generated from the IR types (run `npm run schema -w @snnc/ir` after changing ir.ts)', () => {
    const generated = createGenerator({
      path: path.join(pkg, 'src/ir.ts'),
      tsconfig: path.join(pkg, 'tsconfig.schema.json'),
      type: 'Program',
      skipTypeCheck: true,
      expose: 'export',
    }).createSchema('Program');
    const committed = JSON.parse(readFileSync(path.join(pkg, 'schema/ir.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { exampleFiles, readRepoFile, repoRoot } from './examples.js';

const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'packages/ir/schema/ir.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function irOf(file: string): unknown {
  const r = compile(readRepoFile(file)!, { file, readFile: readRepoFile });
  expect(r.ir, file).toBeDefined();
  // The IR is data: what the schema judges is its JSON form.
  return JSON.parse(JSON.stringify(r.ir));
}

describe('the IR of every example validates against packages/ir/schema/ir.schema.json', () => {
  for (const file of [...exampleFiles(), 'examples/mnist.snn']) {
    it(file, () => {
      const ok = validate(irOf(file));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('rejects IR that breaks the contract', () => {
    const ir = irOf('examples/report/network.snn') as { experiments: { model: { layers: { kind: string }[] } }[] };
    ir.experiments[0]!.model.layers[0]!.kind = 'conv3d';
    expect(validate(ir)).toBe(false);
  });
});

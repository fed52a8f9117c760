import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, snnc } from './helpers.js';

/** Every examples/**\/*.snn, found afresh on each run: new examples are checked without a list to update. */
function examples(dir = path.join(repoRoot, 'examples')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? examples(path.join(dir, e.name)) : e.name.endsWith('.snn') ? [path.relative(repoRoot, path.join(dir, e.name))] : [],
  );
}

describe('snnc fmt --check on the examples (CI)', () => {
  it('finds every example formatted', async () => {
    const files = examples();
    expect(files.length).toBeGreaterThan(8);
    const r = await snnc(['fmt', '--check', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

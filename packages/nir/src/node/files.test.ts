import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, HAVE_FIXTURES } from '../__tests__/fixtures.js';
import { readNirFile, writeNirFile } from './files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'snnc-nirfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('NIR files on disk', () => {
  it('names the path when it cannot read or write', async () => {
    await expect(readNirFile(path.join(dir, 'missing.nir'))).rejects.toMatchObject({ code: 'SNN9001', message: expect.stringContaining('missing.nir') });
    await expect(readNirFile(dir)).rejects.toMatchObject({ code: 'SNN9001', message: expect.stringContaining('directory') });
  });

  it.skipIf(!HAVE_FIXTURES)('writes a file that reads back equal', async () => {
    const f = await readNirFile(fixture('two_lif_neurons.nir'));
    const out = path.join(dir, 'two.nir');
    await writeNirFile(out, f);
    expect((await readNirFile(out)).graph).toEqual(f.graph);
    // A path under a file cannot be created.
    await expect(writeNirFile(path.join(out, 'inside.nir'), f)).rejects.toMatchObject({ code: 'SNN7462' });
  });
});

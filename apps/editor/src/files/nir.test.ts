import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '@snnc/dsl';
import { describe, expect, it } from 'vitest';
import { nirToSnn } from './nir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/nir');
const HAVE = existsSync(path.join(FIXTURES, 'README.md'));

describe.skipIf(!HAVE)('opening a .nir file in the editor', () => {
  it('shows the recurrent Braille network as the .snn snnc import writes, and it compiles', async () => {
    const doc = await nirToSnn(readFileSync(path.join(FIXTURES, 'braille_bias_zero.nir')), 'braille_bias_zero.nir');
    expect(doc.name).toBe('braille_bias_zero.snn');
    expect(doc.text).toContain('lif1_w_rec_prev = lif1_w_rec -> delay(1)');
    expect(compile(doc.text, { file: doc.name }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('says why a malformed file cannot open, naming the edge', async () => {
    await expect(nirToSnn(readFileSync(path.join(FIXTURES, 'braille_bias_zero_subgraph.nir')), 'b.nir')).rejects.toThrow('edge `input -> lif` in graph `lif1`: node `lif` does not exist');
  });
});

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

  it("keeps the file's weights under the compiled layers' names, as snnc import writes them", async () => {
    const doc = await nirToSnn(readFileSync(path.join(FIXTURES, 'braille_bias_zero.nir')), 'braille_bias_zero.nir');
    expect(doc.weights.source).toBe('braille_bias_zero.nir');
    expect(doc.weights.model).toBe('braille_bias_zero');
    const model = compile(doc.text, { file: doc.name }).ir!.models[0]!;
    const byName = new Map(model.layers.map((l) => [l.name ?? l.id, l.id]));
    // fc1 (Affine 12 -> 38), fc2 (38 -> 7) and the recurrent lif1_w_rec (38 -> 38): kernel and bias each.
    expect(doc.weights.tensors.map((t) => [t.name, t.shape]).sort()).toEqual(
      [
        [`${byName.get('fc1')}/kernel`, [12, 38]],
        [`${byName.get('fc1')}/bias`, [38]],
        [`${byName.get('fc2')}/kernel`, [38, 7]],
        [`${byName.get('fc2')}/bias`, [7]],
        [`${byName.get('lif1_w_rec')}/kernel`, [38, 38]],
        [`${byName.get('lif1_w_rec')}/bias`, [38]],
      ].sort(),
    );
    for (const t of doc.weights.tensors) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
    // trained weights, not zeros
    expect(doc.weights.tensors.find((t) => t.shape.join() === '12,38')!.data.some((v) => v !== 0)).toBe(true);
  });

  it('says why a malformed file cannot open, naming the edge', async () => {
    await expect(nirToSnn(readFileSync(path.join(FIXTURES, 'braille_bias_zero_subgraph.nir')), 'b.nir')).rejects.toThrow('edge `input -> lif` in graph `lif1`: node `lif` does not exist');
  });
});

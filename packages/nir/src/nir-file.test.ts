import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, HAVE_FIXTURES } from './__tests__/fixtures.js';
import { readNir, writeNir } from './nir-file.js';
import type { NirGraph, NirNode } from './types.js';

const WELL_FORMED = ['lif_norse.nir', 'two_lif_neurons.nir', 'braille_bias_zero.nir', 'braille_bias_zero_subgraph_repaired.nir'];

async function read(name: string) {
  return readNir(await readFile(fixture(name)), fixture(name));
}

function node(g: NirGraph, name: string): NirNode {
  const n = g.nodes.get(name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

describe.skipIf(!HAVE_FIXTURES)('NIR files other simulators wrote', () => {
  it.each(WELL_FORMED)('%s reads, validates, writes and reads back equal', async (name) => {
    const first = await read(name);
    const bytes = await writeNir(first);
    const again = await readNir(bytes, `${name} (rewritten)`);
    expect(again.graph).toEqual(first.graph);
    expect(again.version).toBe('1.0.7');
  });

  it('reads Norse 0.1.1 lif_norse.nir: Input -> Affine -> LIF -> Output, v_reset filled with zeros', async () => {
    const f = await read('lif_norse.nir');
    expect(f.version).toBe('0.1.1');
    const g = f.graph;
    expect([...g.nodes.keys()].sort()).toEqual(['0', '1', 'input', 'output']);
    expect(g.edges).toEqual([
      ['input', '0'],
      ['0', '1'],
      ['1', 'output'],
    ]);
    const lif = node(g, '1');
    expect(lif.kind).toBe('LIF');
    if (lif.kind !== 'LIF') return;
    expect(lif.params.tau.dtype).toBe('<f');
    expect(lif.params.tau.data[0]).toBeCloseTo(0.0025, 9);
    expect(lif.params.v_threshold.data[0]).toBeCloseTo(0.1, 7);
    expect(lif.params.v_reset).toEqual({ dtype: '<f', shape: [1], data: new Float64Array([0]) });
  });

  it('reads the Braille network with its recurrent cycle and per-neuron arrays in their shapes', async () => {
    const g = (await read('braille_bias_zero.nir')).graph;
    const lif = node(g, 'lif1.lif');
    expect(lif.kind).toBe('CubaLIF');
    if (lif.kind !== 'CubaLIF') return;
    expect(lif.params.tau_mem.shape).toEqual([38]);
    expect(lif.params.w_in.shape).toEqual([38]);
    const rec = node(g, 'lif1.w_rec');
    expect(rec.kind === 'Affine' && rec.params.weight.shape).toEqual([38, 38]);
    expect(g.edges).toContainEqual(['lif1.lif', 'lif1.w_rec']);
    expect(g.edges).toContainEqual(['lif1.w_rec', 'lif1.lif']);
  });

  it('refuses the malformed nested graph, naming the edge and the missing node; the repaired copy reads', async () => {
    const name = fixture('braille_bias_zero_subgraph.nir');
    const err = await readNir(await readFile(name), name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SNN7461' });
    expect((err as Error).message).toBe(`\`${name}\`: edge \`input -> lif\` in graph \`lif1\`: node \`lif\` does not exist (nodes: input, lif1, lin, output)`);
    const repaired = (await read('braille_bias_zero_subgraph_repaired.nir')).graph;
    const sub = node(repaired, 'lif1');
    expect(sub.kind).toBe('NIRGraph');
    if (sub.kind !== 'NIRGraph') return;
    expect(node(sub, 'lif1').kind).toBe('CubaLIF');
    expect(sub.edges).toContainEqual(['lin', 'lif1']);
  });
});

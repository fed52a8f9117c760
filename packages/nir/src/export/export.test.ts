import { readFile } from 'node:fs/promises';
import { compile } from '@snnc/dsl';
import type { Model } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { fixture, HAVE_FIXTURES } from '../__tests__/fixtures.js';
import { roundTrip } from '../__tests__/round-trip.js';
import { readNir, writeNir } from '../nir-file.js';
import type { NirArray, NirGraph, NirNode } from '../types.js';
import { ExportError, exportModel, type ExportTensor } from './export.js';

/** A node's identity for matching two graphs: kind and parameter shapes. */
function signature(n: NirNode): string {
  if (n.kind === 'NIRGraph') return 'NIRGraph';
  return `${n.kind}(${Object.entries(n.params as Record<string, NirArray | string | null>)
    .map(([k, v]) => `${k}:${v === null ? '-' : typeof v === 'string' ? v : v.shape.join('x')}`)
    .join(',')})`;
}

/**
 * The graph in a name-free form: nodes in breadth-first order from the Input (successors by
 * signature), each with its parameters, and edges as pairs of those positions.
 */
function canonical(g: NirGraph) {
  const succ = new Map<string, string[]>();
  for (const [a, b] of g.edges) succ.set(a, [...(succ.get(a) ?? []), b]);
  const input = [...g.nodes].find(([, n]) => n.kind === 'Input')![0];
  const order = [input];
  for (let i = 0; i < order.length; i++) {
    const next = (succ.get(order[i]!) ?? []).filter((n) => !order.includes(n)).sort((a, b) => signature(g.nodes.get(a)!).localeCompare(signature(g.nodes.get(b)!)));
    order.push(...next);
  }
  const pos = new Map(order.map((n, i) => [n, i]));
  return {
    nodes: order.map((n) => {
      const node = g.nodes.get(n)!;
      const params = node.kind === 'NIRGraph' ? {} : Object.fromEntries(Object.entries(node.params as Record<string, NirArray | string | null>).map(([k, v]) => [k, v === null || typeof v === 'string' ? v : { shape: v.shape, data: Array.from(v.data, (x) => Math.fround(x)) }]));
      return { kind: node.kind, params };
    }),
    edges: g.edges.map(([a, b]) => [pos.get(a), pos.get(b)]).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!),
  };
}

describe.skipIf(!HAVE_FIXTURES)('import then export gives the same NIR graph back', () => {
  it('the nested-graph Braille file comes back as the flat Braille graph (a nested graph may be flattened)', async () => {
    const nested = (await readNir(await readFile(fixture('braille_bias_zero_subgraph_repaired.nir')), 'nested')).graph;
    const flat = (await readNir(await readFile(fixture('braille_bias_zero.nir')), 'flat')).graph;
    expect(canonical(roundTrip(nested, 1e-4).graph)).toEqual(canonical(flat));
  });

  it.each(['lif_norse.nir', 'two_lif_neurons.nir', 'braille_bias_zero.nir'])('%s: node types, parameters (to float32) and edges', async (name) => {
    const original = (await readNir(await readFile(fixture(name)), name)).graph;
    const { graph, warnings: found } = roundTrip(original, 1e-4);
    const warnings = found.map((w) => w.message);
    expect(canonical(graph)).toEqual(canonical(original));
    expect(warnings).toEqual(['decoder `rate` is not a NIR node: the NIR output is the last layer\'s output at every step']);
    // And it is a valid NIR file.
    const back = await readNir(await writeNir(graph), 'exported.nir');
    expect(canonical(back.graph)).toEqual(canonical(original));
    expect(back.graph.metadata.children.get('dt')).toEqual({ kind: 'array', array: { dtype: '<d', shape: [], data: new Float64Array([1e-4]) } });
  });
});

function compiled(source: string): Model {
  const r = compile(source, { file: 'x.snn' });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.ir!.models[0]!;
}

const t = (shape: number[], values: number[]): ExportTensor => ({ shape, data: Float32Array.from(values) });

describe('trained snnc models as NIR', () => {
  it('maps a discrete LIF with the ecosystem convention: tau = dt * tau_steps, r = 1 with decay_input', () => {
    const model = compiled('model m(input: [2], steps: 4) { dense(3) -> LIF(tau: 2.0, threshold: 0.5) }');
    const weights = new Map([
      ['dense_0/kernel', t([2, 3], [1, 2, 3, 4, 5, 6])],
      ['dense_0/bias', t([3], [0.1, 0.2, 0.3])],
    ]);
    const { graph, warnings: found } = exportModel(model, weights, { dt: 1e-3 });
    const warnings = found.map((w) => w.message);
    const lif = [...graph.nodes.values()].find((n) => n.kind === 'LIF');
    expect(lif?.kind === 'LIF' && Array.from(lif.params.tau.data)).toEqual([0.002, 0.002, 0.002]);
    expect(lif?.kind === 'LIF' && Array.from(lif.params.r.data)).toEqual([1, 1, 1]);
    expect(lif?.kind === 'LIF' && Array.from(lif.params.v_threshold.data)).toEqual([0.5, 0.5, 0.5]);
    const aff = [...graph.nodes.values()].find((n) => n.kind === 'Affine');
    // NIR weight [out, in] is the transposed kernel.
    expect(aff?.kind === 'Affine' && aff.params.weight.shape).toEqual([3, 2]);
    expect(aff?.kind === 'Affine' && Array.from(aff.params.weight.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(warnings).toContain("neuron `neuron_0`: surrogate atan(alpha=2) is training-only; NIR keeps the spike function (the surrogate is kept in the node's metadata)");
  });

  it('folds batch norm into the conv before it and reorders dense columns to channels-first', () => {
    const model = compiled('model m(input: [1, 2, 2], steps: 2) { conv2d(2, kernel: 1) -> batchnorm -> LIF -> flatten -> dense(1) -> LIF }');
    const weights = new Map([
      ['conv2d_0/kernel', t([1, 1, 1, 2], [1, 2])],
      ['conv2d_0/bias', t([2], [0, 1])],
      ['batchnorm_0/gamma', t([2], [2, 3])],
      ['batchnorm_0/beta', t([2], [0.5, 0])],
      ['batchnorm_0/moving_mean', t([2], [1, 1])],
      ['batchnorm_0/moving_variance', t([2], [4, 9])],
      // Rows in snnc's channels-last order: (h, w, c) -> row (h * 2 + w) * 2 + c.
      ['dense_0/kernel', t([8, 1], [0, 1, 2, 3, 4, 5, 6, 7])],
      ['dense_0/bias', t([1], [0])],
    ]);
    const { graph, warnings: found } = exportModel(model, weights, { dt: 1e-3 });
    const warnings = found.map((w) => w.message);
    const conv = [...graph.nodes.values()].find((n) => n.kind === 'Conv2d');
    if (conv?.kind !== 'Conv2d') throw new Error('no conv');
    // scale = gamma / sqrt(var + eps) = 2 / 2 and 3 / 3 (eps 1e-5 aside).
    expect(Array.from(conv.params.weight.data).map((x) => +x.toFixed(4))).toEqual([1, 2]);
    expect(Array.from(conv.params.bias.data).map((x) => +x.toFixed(4))).toEqual([-0.5, 0]);
    expect(warnings.some((w) => w.startsWith('batch norm `batchnorm_0` is folded into `conv2d_0`'))).toBe(true);
    const dense = [...graph.nodes.values()].find((n) => n.kind === 'Affine');
    // NIR column (c, h, w) = c * 4 + h * 2 + w holds snnc row (h * 2 + w) * 2 + c.
    expect(dense?.kind === 'Affine' && Array.from(dense.params.weight.data)).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect(graph.nodes.has('batchnorm_0')).toBe(false);
  });

  it('refuses what NIR has no primitive for, naming the layer', () => {
    const model = compiled('model m(input: [4], steps: 2) { dense(4) -> layernorm -> LIF }');
    const weights = new Map([
      ['dense_0/kernel', t([4, 4], new Array<number>(16).fill(0))],
      ['dense_0/bias', t([4], [0, 0, 0, 0])],
    ]);
    expect(() => exportModel(model, weights, { dt: 1e-3 })).toThrow(new ExportError('layernorm_0', 'layernorm has no NIR primitive'));
  });
});

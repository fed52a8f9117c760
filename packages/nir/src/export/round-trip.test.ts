import { compile } from '@snnc/dsl';
import type { Layer, Model } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { planImport } from '../import/plan.js';
import { plannedWeights } from '../import/weights.js';
import { readNir, writeNir } from '../nir-file.js';
import { exportModel, type ExportTensor } from './export.js';

function compiled(source: string): Model {
  const r = compile(source, { file: 'x.snn' });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.ir!.models[0]!;
}

/** A layer without what names or locates it: what the network computes. */
function meaning(l: Layer): unknown {
  const { id: _id, name: _name, range: _range, inputs: _inputs, ...rest } = l as Layer & { name?: string; range?: unknown; inputs?: unknown };
  if (rest.kind !== 'neuron') return rest;
  const { name: _n, range: _r, ...neuron } = rest.neuron as typeof rest.neuron & { range?: unknown };
  return { ...rest, neuron };
}

/** Deterministic weights for every tensor the model needs (a small linear congruential sequence). */
function weightsFor(shapes: Record<string, number[]>): Map<string, ExportTensor> {
  let s = 7;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return new Map(Object.entries(shapes).map(([k, shape]) => [k, { shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next) }]));
}

describe('.snn -> .nir -> .snn gives the same model where NIR (with snnc metadata) is lossless', () => {
  it('encoder, decoder, steps, conv, max pooling, discrete LIF/IF (reset mode, surrogate, decay_input), flatten order and weights', async () => {
    const model = compiled(`model m(input: [1, 4, 4], steps: 3) {
  encode poisson(gain: 0.5)
  conv2d(2, kernel: 3, padding: 1) -> maxpool(2) -> LIF(tau: 3, threshold: 0.75, reset: soft, decay_input: false, surrogate: sigmoid(alpha: 4))
  flatten -> dense(3) -> IF(reset: 0.25, detach_reset: true)
  decode count
}`);
    const weights = weightsFor({ 'conv2d_0/kernel': [3, 3, 1, 2], 'conv2d_0/bias': [2], 'dense_0/kernel': [8, 3], 'dense_0/bias': [3] });
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    // Through the file, as snnc import reads it.
    const file = await readNir(await writeNir(graph), 'm.nir');
    const plan = planImport(file.graph, { model: 'm', dt: 1e-3, steps: 3, origin: 'test' });
    const back = compiled(plan.source);
    expect(back.layers.map(meaning)).toEqual(model.layers.map(meaning));
    expect(back.encoder).toEqual(model.encoder);
    expect(back.decoder).toEqual(model.decoder);
    expect([back.input, back.steps]).toEqual([model.input, model.steps]);
    const again = new Map(plannedWeights(plan, back.layers).map((w) => [w.name, w]));
    expect([...again.keys()].sort()).toEqual([...weights.keys()].sort());
    for (const [k, w] of weights) {
      expect(again.get(k)!.shape).toEqual(w.shape);
      expect(Array.from(again.get(k)!.data)).toEqual(Array.from(w.data));
    }
  });

  it("a flatten's channel order passes through elementwise layers to the dense after them", async () => {
    const model = compiled(`model f(input: [2, 2, 2], steps: 2) {
  conv2d(2, kernel: 1) -> LIF -> flatten -> LIF -> scale(0.5) -> dense(3) -> LIF
}`);
    const weights = weightsFor({ 'conv2d_0/kernel': [1, 1, 2, 2], 'conv2d_0/bias': [2], 'dense_0/kernel': [8, 3], 'dense_0/bias': [3] });
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    const plan = planImport((await readNir(await writeNir(graph), 'f.nir')).graph, { model: 'f', dt: 1e-3, steps: 2, origin: 'test' });
    const again = new Map(plannedWeights(plan, compiled(plan.source).layers).map((w) => [w.name, w]));
    expect(Array.from(again.get('dense_0/kernel')!.data)).toEqual(Array.from(weights.get('dense_0/kernel')!.data));
  });

  it('a graph model: named results, a recurrent loop through delay(1), add, and the membrane decoder', async () => {
    const model = compiled(`model r(input: [2], steps: 4) {
  h = dense(3) -> add(q) -> LIF(tau: 2.5)
  q = h -> delay(1) -> dense(3, bias: false)
  h -> dense(2) -> LIF
  decode membrane
}`);
    const weights = weightsFor({ 'dense_0/kernel': [2, 3], 'dense_0/bias': [3], 'dense_1/kernel': [3, 3], 'dense_2/kernel': [3, 2], 'dense_2/bias': [2] });
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    const file = await readNir(await writeNir(graph), 'r.nir');
    const plan = planImport(file.graph, { model: 'r', dt: 1e-3, steps: 4, origin: 'test' });
    const back = compiled(plan.source);
    // The same computation: exporting the re-imported model gives the same NIR graph.
    const again = new Map(plannedWeights(plan, back.layers).map((w) => [w.name, w]));
    const second = exportModel(back, again, { dt: 1e-3 }).graph;
    const view = (g: typeof graph) => ({
      kinds: [...g.nodes.values()].map((n) => n.kind).sort(),
      edges: g.edges.length,
      params: [...g.nodes.values()].map((n) => (n.kind === 'NIRGraph' ? [] : Object.values(n.params as Record<string, { data?: Float64Array }>).map((a) => (a && a.data ? Array.from(a.data, Math.fround).sort() : a)))).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    });
    expect(view(second)).toEqual(view(graph));
    expect(back.decoder).toEqual({ kind: 'membrane' });
    expect(back.layers.filter((l) => l.kind === 'neuron').map(meaning)).toEqual(model.layers.filter((l) => l.kind === 'neuron').map(meaning));
  });

  it('a delay(3) in a loop is a Delay of 2 dt on the NIR cycle, and comes back as 3 steps around the loop', async () => {
    const model = compiled(`model d(input: [2], steps: 6) {
  h = dense(2) -> add(q) -> LIF
  q = h -> delay(3) -> dense(2, bias: false)
  h -> dense(2) -> LIF
}`);
    const weights = weightsFor({ 'dense_0/kernel': [2, 2], 'dense_0/bias': [2], 'dense_1/kernel': [2, 2], 'dense_2/kernel': [2, 2], 'dense_2/bias': [2] });
    const { graph, warnings } = exportModel(model, weights, { dt: 1e-3 });
    expect(warnings.filter((w) => w.message.includes('delays'))).toEqual([]);
    const delay = [...graph.nodes.values()].find((n) => n.kind === 'Delay');
    expect(delay?.kind === 'Delay' && Array.from(delay.params.delay.data)).toEqual([2e-3, 2e-3]);
    const plan = planImport((await readNir(await writeNir(graph), 'd.nir')).graph, { model: 'd', dt: 1e-3, steps: 6, origin: 'test' });
    const back = compiled(plan.source);
    const steps = back.layers.flatMap((l) => (l.kind === 'delay' ? [l.steps] : []));
    expect(steps.reduce((a, b) => a + b, 0)).toBe(3);
  });
});

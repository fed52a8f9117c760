import { compile } from '@snnc/dsl';
import type { Model } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { readNir, writeNir } from '../nir-file.js';
import { snncLayerOf, snncModelLines, snncSteps } from '../snnc-origin.js';
import type { NirGraph, NirNode } from '../types.js';
import { ExportError, exportModel, type ExportTensor } from './export.js';

function compiled(source: string): Model {
  const r = compile(source, { file: 'x.snn' });
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return r.ir!.models[0]!;
}

const t = (shape: number[], values: number[]): ExportTensor => ({ shape, data: Float32Array.from(values) });
const zeros = (shape: number[]) => t(shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0));
const kinds = (g: NirGraph) => Object.fromEntries([...g.nodes].map(([k, n]) => [k, n.kind]));
const sorted = (e: [string, string][]) => [...e].sort((a, b) => a.join('>').localeCompare(b.join('>')));
const get = <K extends NirNode['kind']>(g: NirGraph, name: string, kind: K) => {
  const n = g.nodes.get(name);
  if (n?.kind !== kind) throw new Error(`node ${name} is ${n?.kind}, not ${kind}`);
  return n as Extract<NirNode, { kind: K }>;
};

describe('graph models as NIR', () => {
  it('an add is two edges into one node, a loop delay(1) a cycle, a delay(3) a Delay node of 3 dt', () => {
    const model = compiled(`model m(input: [2], steps: 4) {
  h = dense(3) -> add(r) -> LIF
  r = h -> delay(1) -> dense(3, bias: false)
  h -> delay(3) -> dense(2) -> LIF
}`);
    const weights = new Map([
      ['dense_0/kernel', zeros([2, 3])],
      ['dense_0/bias', zeros([3])],
      ['dense_1/kernel', zeros([3, 3])],
      ['dense_2/kernel', zeros([3, 2])],
      ['dense_2/bias', zeros([2])],
    ]);
    const { graph, warnings } = exportModel(model, weights, { dt: 2e-3 });
    // One warning for both neurons with the same surrogate, at the first.
    expect(warnings.filter((w) => w.message.includes('surrogate')).map((w) => [w.message.split(':')[0], w.range?.line])).toEqual([['neurons `h`, `neuron_1`', 2]]);
    expect(kinds(graph)).toEqual({ input: 'Input', dense_0: 'Affine', h: 'LIF', r: 'Linear', delay_1: 'Delay', dense_2: 'Affine', neuron_1: 'LIF', output: 'Output' });
    expect(sorted(graph.edges)).toEqual(
      sorted([
        ['input', 'dense_0'],
        ['dense_0', 'h'],
        ['r', 'h'],
        ['h', 'r'],
        ['h', 'delay_1'],
        ['delay_1', 'dense_2'],
        ['dense_2', 'neuron_1'],
        ['neuron_1', 'output'],
      ]),
    );
    expect(Array.from(get(graph, 'delay_1', 'Delay').params.delay.data)).toEqual([6e-3, 6e-3, 6e-3]);
  });

  it('concat is an identity embedding per input (exact); maxpool and iand of spikes are a sum and a Threshold', async () => {
    const model = compiled(`model m(input: [1, 4, 4], steps: 2) {
  a = conv2d(1, kernel: 1) -> LIF
  b = x -> conv2d(2, kernel: 1) -> LIF
  c = concat(a, b) -> maxpool(2)
  d = x -> conv2d(3, kernel: 1) -> LIF -> maxpool(2)
  iand(c, d) -> flatten -> dense(2) -> LIF
}`);
    const weights = new Map([
      ['conv2d_0/kernel', t([1, 1, 1, 1], [1])],
      ['conv2d_0/bias', zeros([1])],
      ['conv2d_1/kernel', t([1, 1, 1, 2], [1, 1])],
      ['conv2d_1/bias', zeros([2])],
      ['conv2d_2/kernel', t([1, 1, 1, 3], [1, 1, 1])],
      ['conv2d_2/bias', zeros([3])],
      ['dense_0/kernel', zeros([12, 2])],
      ['dense_0/bias', zeros([2])],
    ]);
    const { graph, warnings: found } = exportModel(model, weights, { dt: 1e-3 });
    const warnings = found.map((w) => w.message);
    expect(warnings.filter((w) => w.includes('maxpool'))).toEqual([]);
    // concat: a (1 channel) into channel 0, b (2 channels) into channels 1..2 of 3.
    expect(Array.from(get(graph, 'concat_0_in0', 'Conv2d').params.weight.data)).toEqual([1, 0, 0]);
    expect(get(graph, 'concat_0_in1', 'Conv2d').params.weight.shape).toEqual([3, 2, 1, 1]);
    expect(Array.from(get(graph, 'concat_0_in1', 'Conv2d').params.weight.data)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(graph.edges).toContainEqual(['concat_0_in0', 'c_sum']);
    expect(graph.edges).toContainEqual(['concat_0_in1', 'c_sum']);
    expect(graph.edges).toContainEqual(['c_sum', 'c']);
    expect(get(graph, 'c_sum', 'SumPool2d').params.kernel_size.data).toEqual(Float64Array.of(2, 2));
    expect(Array.from(get(graph, 'c', 'Threshold').params.threshold.data)).toEqual(new Array(12).fill(0.5));
    // iand(c, d) = [d - c > 0.5]: c through Scale(-1), d directly.
    expect(graph.edges).toContainEqual(['c', 'iand_0_not']);
    expect(graph.edges).toContainEqual(['iand_0_not', 'iand_0']);
    expect(graph.edges).toContainEqual(['d', 'iand_0']);
    expect(Array.from(get(graph, 'iand_0_not', 'Scale').params.scale.data)).toEqual(new Array(12).fill(-1));
    expect(get(graph, 'iand_0', 'Threshold').kind).toBe('Threshold');
    // And the file layer takes it.
    const back = await readNir(await writeNir(graph), 'g.nir');
    expect(kinds(back.graph)).toEqual(kinds(graph));
  });

  it('a residual add read by a pass-through layer (dropout) is its inputs\' edges into the next node', () => {
    const model = compiled(`model m(input: [2], steps: 2) {
  a = dense(2) -> LIF
  b = x -> dense(2) -> LIF
  add(a, b) -> dropout(0.1) -> dense(2) -> LIF
}`);
    const weights = new Map([
      ['dense_0/kernel', zeros([2, 2])],
      ['dense_0/bias', zeros([2])],
      ['dense_1/kernel', zeros([2, 2])],
      ['dense_1/bias', zeros([2])],
      ['dense_2/kernel', zeros([2, 2])],
      ['dense_2/bias', zeros([2])],
    ]);
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    expect(graph.edges).toContainEqual(['a', 'dense_2']);
    expect(graph.edges).toContainEqual(['b', 'dense_2']);
    expect([...graph.nodes.values()].filter((n) => n.kind === 'Affine')).toHaveLength(3);
  });

  it('weights of the wrong shape (another model\'s checkpoint) are refused naming the layer', () => {
    const model = compiled('model m(input: [2], steps: 2) { dense(3) -> LIF }');
    const weights = new Map([
      ['dense_0/kernel', zeros([3, 2])],
      ['dense_0/bias', zeros([3])],
    ]);
    expect(() => exportModel(model, weights, { dt: 1e-3 })).toThrow(new ExportError('dense_0', 'its weight `dense_0/kernel` has shape [3, 2], the layer needs [2, 3] (weights of another model?)'));
  });

  it('iand of values that are not spikes is refused', () => {
    const model = compiled(`model m(input: [2], steps: 2) {
  a = dense(2)
  b = x -> dense(2) -> LIF
  iand(a, b) -> LIF
}`);
    const weights = new Map([
      ['dense_0/kernel', zeros([2, 2])],
      ['dense_0/bias', zeros([2])],
      ['dense_1/kernel', zeros([2, 2])],
      ['dense_1/bias', zeros([2])],
    ]);
    expect(() => exportModel(model, weights, { dt: 1e-3 })).toThrow(ExportError);
  });
});

describe('snnc metadata: what snnc import reads back', () => {
  const model = compiled(`model m(input: [1, 4, 4], steps: 3) {
  conv2d(1, kernel: 1) -> maxpool(2) -> LIF(tau: 4, threshold: 0.5, reset: soft, decay_input: false, surrogate: sigmoid(alpha: 4))
  flatten -> dense(2) -> IF(reset: 0.25, detach_reset: true)
  decode membrane
}`);
  const weights = new Map([
    ['conv2d_0/kernel', t([1, 1, 1, 1], [1])],
    ['conv2d_0/bias', zeros([1])],
    ['dense_0/kernel', zeros([4, 2])],
    ['dense_0/bias', zeros([2])],
  ]);

  it('records dt, steps, encoder, decoder, reset mode and surrogate; maxpool of values is an AvgPool2d with a warning', () => {
    const { graph, warnings: found } = exportModel(model, weights, { dt: 1e-3 });
    const warnings = found.map((w) => w.message);
    expect(snncModelLines(graph)).toEqual(['encode direct', 'decode membrane']);
    expect(snncSteps(graph)).toBe(3);
    expect(warnings).toContain("maxpool `maxpool_0` has no NIR primitive (its input is not spikes): written as AvgPool2d, which other tools compute as the window's mean; snnc import restores the maxpool from the node's metadata");
    expect(warnings.some((w) => w.startsWith('neuron `neuron_0`: soft reset (v -= threshold) has no NIR form'))).toBe(true);
    const lif = get(graph, 'neuron_0', 'LIF');
    // Without decay_input the per-step gain is 1: r = tau_steps.
    expect(Array.from(lif.params.tau.data)).toEqual([0.004, 0.004, 0.004, 0.004]);
    expect(Array.from(lif.params.r.data)).toEqual([4, 4, 4, 4]);
    expect(snncLayerOf(get(graph, 'maxpool_0', 'AvgPool2d'))).toEqual({ text: 'maxpool(2, stride: 2)' });
    expect(snncLayerOf(lif)).toEqual({ neuron: { call: 'LIF(tau: 4, decay_input: false, threshold: 0.5, reset: soft, detach_reset: false, surrogate: sigmoid(alpha: 4))' } });
    expect(snncLayerOf(get(graph, 'neuron_1', 'IF'))).toEqual({ neuron: { call: 'IF(threshold: 1, reset: 0.25, detach_reset: true, surrogate: atan(alpha: 2))' } });
    expect(Array.from(get(graph, 'neuron_1', 'IF').params.r.data)).toEqual([1000, 1000]);
  });

  it('survives the file, and is ignored once another tool changed the parameters', async () => {
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    const back = (await readNir(await writeNir(graph), 'm.nir')).graph;
    expect(snncLayerOf(back.nodes.get('neuron_0')!)?.neuron?.call).toMatch(/^LIF\(tau: 4,/);
    expect(snncModelLines(back)).toEqual(['encode direct', 'decode membrane']);
    const lif = get(back, 'neuron_0', 'LIF');
    // Metadata that does not describe the parameters (tau = dt * tau_steps) is not used.
    const steps = lif.metadata.children.get('tau_steps');
    lif.metadata.children.set('tau_steps', { kind: 'array', array: { dtype: '<d', shape: [], data: Float64Array.of(5) } });
    expect(snncLayerOf(lif)).toBeUndefined();
    lif.metadata.children.set('tau_steps', steps!);
    expect(snncLayerOf(lif)).toBeDefined();
    lif.params.tau.data[0] = 0.01;
    expect(snncLayerOf(lif)).toBeUndefined();
    // A crafted value is never copied into source: unknown surrogate words are ignored.
    const other = get(back, 'neuron_1', 'IF');
    other.metadata.children.set('surrogate', { kind: 'text', shape: [], values: ['atan(alpha: 1))\nuse "x'] });
    expect(snncLayerOf(other)).toBeUndefined();
  });
});

describe('neuron definitions', () => {
  it('a definition with the LIF step exports as LIF; one NIR cannot express is refused naming the layer', () => {
    const model = compiled(`neuron Leaky(tau: 2.0, threshold: 1.0) {
  state v = 0
  v += (x - v) / tau
  spike when v >= threshold { v -= threshold }
}
model m(input: [2], steps: 2) { dense(2) -> Leaky(tau: 4.0) }`);
    const weights = new Map([
      ['dense_0/kernel', zeros([2, 2])],
      ['dense_0/bias', zeros([2])],
    ]);
    const { graph } = exportModel(model, weights, { dt: 1e-3 });
    const lif = get(graph, 'neuron_0', 'LIF');
    expect(Array.from(lif.params.tau.data)).toEqual([0.004, 0.004]);
    expect(Array.from(lif.params.r.data)).toEqual([1, 1]);
    expect(snncLayerOf(lif)?.neuron?.call).toBe('LIF(tau: 4, decay_input: true, threshold: 1, reset: soft, detach_reset: false, surrogate: atan(alpha: 2))');
    const quad = compile(`neuron Quad(a: 0.5) {
  state v = 0
  v = v + a * v * v + x
  spike when v >= 1 { v = 0 }
}
model q(input: [2], steps: 2) { dense(2) -> Quad }`, { file: 'q.snn' }).ir!.models[0]!;
    expect(() => exportModel(quad, weights, { dt: 1e-3 })).toThrow(/layer `neuron_0`: neuron definition `Quad` has no NIR primitive/);
  });
});

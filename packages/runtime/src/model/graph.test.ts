import * as tf from '@tensorflow/tfjs-core';
import { Random, recurrentGroups, type Layer, type Model } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { buildNetwork } from './network.js';
import { lifDef, makeModel } from './__tests__/models.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

/** A SEW residual block on vectors: dense -> lif, added to its input, then a readout. */
function residualModel(): Model {
  const lif = lifDef({ tau: 2 });
  const layers: Layer[] = [
    { kind: 'dense', id: 'dense_0', inShape: [6], outShape: [5], units: 5, bias: true },
    { kind: 'neuron', id: 'neuron_0', inShape: [5], outShape: [5], neuron: lif, name: 'a' },
    { kind: 'dense', id: 'dense_1', inShape: [5], outShape: [5], units: 5, bias: true },
    { kind: 'neuron', id: 'neuron_1', inShape: [5], outShape: [5], neuron: lif },
    { kind: 'add', id: 'add_0', inShape: [5], outShape: [5], inputs: ['neuron_1', 'neuron_0'] },
    { kind: 'concat', id: 'concat_0', inShape: [5], outShape: [10], inputs: ['add_0', 'neuron_0'] },
    { kind: 'dense', id: 'dense_2', inShape: [10], outShape: [3], units: 3, bias: true },
    { kind: 'neuron', id: 'neuron_2', inShape: [3], outShape: [3], neuron: lif },
  ];
  return { name: 'res', params: {}, input: [6], steps: 5, encoder: { kind: 'direct' }, layers, decoder: { kind: 'membrane' }, outputShape: [3] };
}

/**
 * An NIR-style cycle through an affine: a = dense(x) + dense_r(delay(scale(a))); `big` keeps
 * the LIF below threshold so the whole map is smooth and finite differences are exact enough.
 */
function analogLoopModel(threshold: number): Model {
  const lif = lifDef({ tau: 2, threshold });
  const layers: Layer[] = [
    { kind: 'dense', id: 'dense_0', inShape: [3], outShape: [4], units: 4, bias: true },
    { kind: 'add', id: 'add_0', inShape: [4], outShape: [4], inputs: ['dense_0', 'dense_1'] },
    { kind: 'scale', id: 'scale_0', inShape: [4], outShape: [4], factor: 0.5, name: 'a' },
    { kind: 'delay', id: 'delay_0', inShape: [4], outShape: [4], steps: 1, inputs: ['scale_0'] },
    { kind: 'dense', id: 'dense_1', inShape: [4], outShape: [4], units: 4, bias: false },
    { kind: 'neuron', id: 'neuron_0', inShape: [4], outShape: [4], neuron: lif, inputs: ['scale_0'] },
  ];
  return { name: 'loop', params: {}, input: [3], steps: 4, encoder: { kind: 'direct' }, layers, decoder: { kind: 'membrane' }, outputShape: [4] };
}

/** snnTorch RLeaky(all_to_all): spikes feed back through their own weights, one step late. */
function spikingLoopModel(): Model {
  const lif = lifDef({ tau: 2 });
  const layers: Layer[] = [
    { kind: 'dense', id: 'dense_0', inShape: [3], outShape: [6], units: 6, bias: true },
    { kind: 'add', id: 'add_0', inShape: [6], outShape: [6], inputs: ['dense_0', 'dense_1'] },
    { kind: 'neuron', id: 'neuron_0', inShape: [6], outShape: [6], neuron: lif, name: 'h' },
    { kind: 'delay', id: 'delay_0', inShape: [6], outShape: [6], steps: 1, inputs: ['neuron_0'] },
    { kind: 'dense', id: 'dense_1', inShape: [6], outShape: [6], units: 6, bias: false },
    { kind: 'dense', id: 'dense_2', inShape: [6], outShape: [2], units: 2, bias: true, inputs: ['neuron_0'] },
    { kind: 'neuron', id: 'neuron_1', inShape: [2], outShape: [2], neuron: lif },
  ];
  return { name: 'rleaky', params: {}, input: [3], steps: 6, encoder: { kind: 'direct' }, layers, decoder: { kind: 'rate' }, outputShape: [2] };
}

describe('graph models', () => {
  it('finds the recurrent loop and nothing else', () => {
    expect(recurrentGroups(spikingLoopModel())).toEqual([['add_0', 'neuron_0', 'delay_0', 'dense_1']]);
    expect(recurrentGroups(residualModel())).toEqual([]);
    expect(recurrentGroups(makeModel([4], 2, [{ kind: 'dense', units: 2 }, { kind: 'neuron' }]))).toEqual([]);
  });

  it('step-wise and fused paths agree on a feed-forward model, forward and gradients', () => {
    const model = residualModel();
    const fused = buildNetwork(model, { seed: 3 });
    const stepwise = buildNetwork(model, { seed: 3, stepwise: true });
    const x = tf.randomUniform([4, 6], 0, 2, 'float32', 5);
    const loss = (net: typeof fused) => () => tf.sum(tf.square(net.forward(x, { training: true, rng: new Random(1) }))) as tf.Scalar;
    const a = tf.variableGrads(loss(fused), fused.trainable);
    const b = tf.variableGrads(loss(stepwise), stepwise.trainable);
    expect(a.value.dataSync()[0]).toBeCloseTo(b.value.dataSync()[0]!, 4);
    expect(a.value.dataSync()[0]).toBeGreaterThan(0);
    const names = Object.keys(a.grads);
    expect(names.length).toBe(fused.trainable.length);
    fused.trainable.forEach((v, i) => {
      const ga = a.grads[v.name]!.dataSync();
      const gb = b.grads[stepwise.trainable[i]!.name]!.dataSync();
      for (let k = 0; k < ga.length; k++) expect(gb[k]).toBeCloseTo(ga[k]!, 4);
    });
    fused.dispose();
    stepwise.dispose();
  });

  it('gradients through a recurrent loop match finite differences', () => {
    const net = buildNetwork(analogLoopModel(1e6), { seed: 2 });
    const x = tf.randomUniform([2, 3], -1, 1, 'float32', 9);
    const f = () => tf.sum(tf.mul(net.forward(x, { training: true, rng: new Random(0) }), tf.tensor1d([1, -2, 3, 0.5]))) as tf.Scalar;
    const recurrent = net.namedWeights()['dense_1/kernel'] as tf.Variable;
    const { grads } = tf.variableGrads(f, [recurrent]);
    const g = grads[recurrent.name]!.dataSync();
    const w0 = recurrent.dataSync().slice();
    const eps = 1e-2;
    let checked = 0;
    for (const k of [0, 5, 10, 15]) {
      const at = (d: number) => {
        const w = w0.slice();
        w[k] = w[k]! + d;
        recurrent.assign(tf.tensor(w, recurrent.shape));
        return tf.tidy(() => f().dataSync()[0]!);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(fd)).toBeGreaterThan(1e-4); // the recurrence matters to the output
      expect(g[k]).toBeCloseTo(fd, 2);
      checked++;
    }
    expect(checked).toBe(4);
    net.dispose();
  });

  it('an RLeaky-style spiking loop runs step by step, trains, and its state reaches the trace', async () => {
    const net = buildNetwork(spikingLoopModel(), { seed: 4 });
    const x = tf.randomUniform([3, 3], 0, 3, 'float32', 1);
    const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x, { training: true, rng: new Random(0) })) as tf.Scalar, net.trainable);
    expect(value.shape).toEqual([]);
    const rec = net.trainable.find((v) => v.name === (net.namedWeights()['dense_1/kernel'] as tf.Variable).name)!;
    expect(grads[rec.name]!.shape).toEqual([6, 6]);
    const trace = await net.trace(tf.slice(x, 0, 1), new Random(0), { state: true });
    expect(trace.map((l) => l.layerId)).toEqual(['neuron_0', 'neuron_1']);
    expect(trace[0]!.name).toBe('h');
    expect(trace[0]!.membrane!.length).toBe(6 * 6);
    net.dispose();
  });

  it('a delay outside a loop shifts the sequence by whole steps', async () => {
    const model = makeModel([2], 3, [{ kind: 'neuron', neuron: lifDef({ tau: 2, threshold: 0.5 }) }]);
    model.layers.push({ kind: 'delay', id: 'delay_0', inShape: [2], outShape: [2], steps: 1, inputs: ['neuron_0'] });
    model.layers.push({ kind: 'neuron', id: 'neuron_1', inShape: [2], outShape: [2], neuron: lifDef({ kind: 'lif', decayInput: false, tau: 1e9, threshold: 0.5 }) });
    const net = buildNetwork(model, { seed: 0 });
    const [a, b] = await net.trace(tf.tensor2d([[1.5, 0]]), new Random(0));
    // neuron_0 fires every step on input 1.5 (H = V + (X - V)/2 >= 0.75); neuron_1 one step later.
    expect(Array.from(a!.spikes)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(b!.spikes)).toEqual([0, 0, 1, 0, 1, 0]);
    net.dispose();
  });

  it('time-major sequence input feeds one row per step', () => {
    const net = buildNetwork(spikingLoopModel(), { seed: 4 });
    const seq = tf.randomUniform([6 * 2, 3], 0, 3, 'float32', 2);
    const y = net.forward(seq, { training: false, rng: new Random(0), timeMajor: true });
    expect(y.shape).toEqual([2, 2]);
    expect(() => net.forward(tf.zeros([5, 3]), { training: false, rng: new Random(0), timeMajor: true })).toThrow(/T\*B rows/);
    net.dispose();
  });

  it('a graph model round-trips its weights by name (checkpoints), new layers included', () => {
    const model: Model = {
      name: 'seq',
      params: {},
      input: [2, 6],
      steps: 2,
      encoder: { kind: 'direct' },
      layers: [
        { kind: 'conv1d', id: 'conv1d_0', inShape: [2, 6], outShape: [3, 6], filters: 3, kernel: 3, stride: 1, padding: 1, bias: true },
        { kind: 'layernorm', id: 'layernorm_0', inShape: [3, 6], outShape: [3, 6], eps: 1e-5 },
        { kind: 'neuron', id: 'neuron_0', inShape: [3, 6], outShape: [3, 6], neuron: lifDef({ threshold: 0.5 }) },
        { kind: 'concat', id: 'concat_0', inShape: [3, 6], outShape: [5, 6], inputs: ['neuron_0', 'input'] },
        { kind: 'flatten', id: 'flatten_0', inShape: [5, 6], outShape: [30] },
        { kind: 'dense', id: 'dense_0', inShape: [30], outShape: [2], units: 2, bias: true },
        { kind: 'neuron', id: 'neuron_1', inShape: [2], outShape: [2], neuron: lifDef() },
      ],
      decoder: { kind: 'membrane' },
      outputShape: [2],
    };
    const a = buildNetwork(model, { seed: 1 });
    const b = buildNetwork(model, { seed: 2 });
    expect(Object.keys(a.namedWeights())).toEqual(['conv1d_0/kernel', 'conv1d_0/bias', 'layernorm_0/gamma', 'layernorm_0/beta', 'dense_0/kernel', 'dense_0/bias']);
    const x = tf.randomUniform([3, 6, 2], 0, 2, 'float32', 4);
    const ya = a.forward(x, { training: false, rng: new Random(0) }).dataSync();
    expect(Array.from(b.forward(x, { training: false, rng: new Random(0) }).dataSync())).not.toEqual(Array.from(ya));
    b.loadWeights(a.namedWeights());
    expect(Array.from(b.forward(x, { training: false, rng: new Random(0) }).dataSync())).toEqual(Array.from(ya));
    a.dispose();
    b.dispose();
  });
});


import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { neuronDef, lifDef, makeModel } from './__tests__/models.js';
import type { NeuronImpl } from './layers/neuron.js';
import { buildNetwork, type LayerSpikes } from './network.js';

beforeAll(async () => {
  await loadBackend('cpu');
});
afterAll(async () => {
  await loadBackend('cpu');
});

/** A small conv net with batchnorm, IF/LIF neurons and a rate-decoded output layer. */
const convModel = (neuron = lifDef()) =>
  makeModel([1, 6, 6], 5, [
    { kind: 'conv2d', filters: 3, kernel: 3, padding: 1 },
    { kind: 'batchnorm' },
    { kind: 'neuron', neuron },
    { kind: 'maxpool', size: 2 },
    { kind: 'flatten' },
    { kind: 'dense', units: 6 },
    { kind: 'neuron', neuron },
    { kind: 'dense', units: 4 },
    { kind: 'neuron', neuron },
  ]);

const sample = () => tf.tensor4d(Float32Array.from({ length: 36 }, (_, i) => ((i * 7) % 11) / 3), [1, 6, 6, 1]);

/** Spike rate per unit of a layer (mean over T). */
function rates(l: LayerSpikes): number[] {
  const units = l.spikes.length / l.steps;
  const r = new Array<number>(units).fill(0);
  for (let t = 0; t < l.steps; t++) for (let u = 0; u < units; u++) r[u]! += l.spikes[t * units + u]! / l.steps;
  return r;
}

describe('SnnNetwork.spikeTrace', () => {
  it('matches hand-computed IF spikes of a tiny dense model', async () => {
    // dense(2) with an identity kernel feeds constant currents 0.4 and 0.7 into IF(threshold 1,
    // hard reset to 0): V = 0.4, 0.8, 1.2* | 0.4, 0.8, 1.2* and V = 0.7, 1.4* | 0.7, 1.4* | ...
    const ifn = neuronDef('if');
    const model = makeModel([2], 6, [{ kind: 'dense', units: 2 }, { kind: 'neuron', neuron: ifn }, { kind: 'dense', units: 1 }, { kind: 'neuron', neuron: ifn }]);
    const net = buildNetwork(model, { seed: 1 });
    const w = {
      'dense_0/kernel': tf.tensor2d([[1, 0], [0, 1]]),
      'dense_0/bias': tf.tensor1d([0, 0]),
      // the second layer's current: both spike trains summed, minus 0.6
      'dense_1/kernel': tf.tensor2d([[1], [1]]),
      'dense_1/bias': tf.tensor1d([-0.6]),
    };
    net.loadWeights(w);
    tf.dispose(Object.values(w));
    const x = tf.tensor2d([[0.4, 0.7]]);
    const trace = await net.spikeTrace(x, new Random(0));
    expect(trace.map((l) => [l.layerId, l.shape, l.steps])).toEqual([
      ['neuron_0', [2], 6],
      ['neuron_1', [1], 6],
    ]);
    // time-major rows [unit0, unit1]: unit 0 fires at t = 2, 5; unit 1 at t = 1, 3, 5
    expect(Array.from(trace[0]!.spikes)).toEqual([0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1]);
    // currents -0.6, 0.4, 0.4, 0.4, -0.6, 1.4: V = -0.6, -0.2, 0.2, 0.6, 0.0, 1.4* (no value near 1)
    expect(Array.from(trace[1]!.spikes)).toEqual([0, 0, 0, 0, 0, 1]);
    tf.dispose([x]);
    net.dispose();
  });

  it.each(['composed', 'fused', 'bptt'] as const)('%s: shapes, rate decoding, no leaks, forward unchanged', async (impl: NeuronImpl) => {
    const ref = buildNetwork(convModel(), { seed: 3, neuronImpl: 'composed' });
    const net = buildNetwork(convModel(), { seed: 3, neuronImpl: impl });
    const x = sample();
    const before = tf.tidy(() => Array.from(net.forward(x, { training: false, rng: new Random(0) }).dataSync()));
    const stats = Array.from(net.namedWeights()['batchnorm_0/moving_mean']!.dataSync());
    const count = tf.memory().numTensors;
    const trace = await net.spikeTrace(x, new Random(0));
    expect(tf.memory().numTensors).toBe(count);
    expect(trace.map((l) => [l.layerId, l.shape, l.steps, l.spikes.length])).toEqual([
      ['neuron_0', [6, 6, 3], 5, 5 * 108],
      ['neuron_1', [6], 5, 30],
      ['neuron_2', [4], 5, 20],
    ]);
    for (const l of trace) for (const s of l.spikes) expect(s === 0 || s === 1).toBe(true);
    // something fires, so the comparisons below are not between empty rasters
    expect(trace[0]!.spikes.some((s) => s === 1)).toBe(true);
    // the rate-decoded output is the last layer's spike rate per class
    const last = rates(trace[2]!);
    for (let k = 0; k < 4; k++) expect(last[k]).toBeCloseTo(before[k]!, 6);
    // every implementation path records the same spikes
    const refTrace = await ref.spikeTrace(x, new Random(0));
    for (let i = 0; i < trace.length; i++) expect(Array.from(trace[i]!.spikes)).toEqual(Array.from(refTrace[i]!.spikes));
    // eval mode: running statistics and later results are untouched
    expect(Array.from(net.namedWeights()['batchnorm_0/moving_mean']!.dataSync())).toEqual(stats);
    const after = tf.tidy(() => Array.from(net.forward(x, { training: false, rng: new Random(0) }).dataSync()));
    expect(after).toEqual(before);
    x.dispose();
    ref.dispose();
    net.dispose();
  });

  it('records composed-only neurons (ALIF) and poisson-encoded inputs, deterministic per rng', async () => {
    const model = { ...convModel(neuronDef('alif')), encoder: { kind: 'poisson' as const, gain: 1 } };
    const net = buildNetwork(model, { seed: 4 });
    const x = sample();
    const a = await net.spikeTrace(x, new Random(7));
    const b = await net.spikeTrace(x, new Random(7));
    expect(a.map((l) => l.layerId)).toEqual(['neuron_0', 'neuron_1', 'neuron_2']);
    for (let i = 0; i < a.length; i++) expect(Array.from(a[i]!.spikes)).toEqual(Array.from(b[i]!.spikes));
    const y = tf.tidy(() => Array.from(net.forward(x, { training: false, rng: new Random(7) }).dataSync()));
    const last = rates(a[2]!);
    for (let k = 0; k < 4; k++) expect(last[k]).toBeCloseTo(y[k]!, 6);
    x.dispose();
    net.dispose();
  });

  it('does not change training: a trace between steps leaves the trained weights identical', async () => {
    const train = async (trace: boolean) => {
      const net = buildNetwork(convModel(), { seed: 5 });
      const x = tf.tidy(() => tf.concat([sample(), tf.mul(sample(), 0.5)], 0));
      const target = tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0]]);
      const opt = tf.train.adam(0.05);
      const rng = new Random(2);
      for (let i = 0; i < 3; i++) {
        opt.minimize(() => tf.mean(tf.square(tf.sub(net.forward(x, { training: true, rng }), target))) as tf.Scalar, true, net.trainable)?.dispose();
        if (trace) {
          const one = tf.slice(x, [0, 0, 0, 0], [1, 6, 6, 1]);
          await net.spikeTrace(one, new Random(99));
          one.dispose();
        }
      }
      const w = Object.fromEntries(Object.entries(net.namedWeights()).map(([k, t]) => [k, Array.from(t.dataSync())]));
      tf.dispose([x, target]);
      opt.dispose();
      net.dispose();
      return w;
    };
    const plain = await train(false);
    const traced = await train(true);
    expect(traced).toEqual(plain);
  });

  it('rejects a batch of more than one sample', async () => {
    const net = buildNetwork(convModel(), { seed: 1 });
    const x = tf.zeros([2, 6, 6, 1]);
    await expect(net.spikeTrace(x, new Random(0))).rejects.toThrow(/one sample/);
    x.dispose();
    net.dispose();
  });

  it('runs the fused wasm kernel too (if wasm loads)', async () => {
    const ref = buildNetwork(convModel(), { seed: 6 });
    const x = sample();
    const want = await ref.spikeTrace(x, new Random(0));
    ref.dispose();
    x.dispose();
    try {
      await loadBackend('wasm');
    } catch {
      return;
    }
    const net = buildNetwork(convModel(), { seed: 6, neuronImpl: 'fused' });
    const xw = sample();
    const count = tf.memory().numTensors;
    const got = await net.spikeTrace(xw, new Random(0));
    expect(tf.memory().numTensors).toBe(count);
    for (let i = 0; i < want.length; i++) expect(Array.from(got[i]!.spikes)).toEqual(Array.from(want[i]!.spikes));
    xw.dispose();
    net.dispose();
    await loadBackend('cpu');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { ENERGY_TABLES, Random, type Layer, type Model } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNetwork, type SnnNetwork } from '../../model/index.js';
import { makeModel, neuronDef } from '../../model/__tests__/models.js';
import { loadBackend } from '../../node/backend/index.js';
import { ActivityCollector } from './collector.js';
import { axisFanout, convConnections, convFanoutMap } from './fanout.js';
import { planActivity } from './plan.js';
import { summarizeActivity } from './summary.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const IF = neuronDef('if', { threshold: 1 });

/**
 * input [1,5,5] -> conv 1x1 (weight 1) -> batchnorm (identity) -> IF -> conv 3x3 stride 2 pad 1
 * (2 filters, weights 0, bias 2) -> IF -> maxpool 3 -> flatten -> dense 3 (all 0) -> IF; T = 2.
 */
function tinyModel(): Model {
  return makeModel([1, 5, 5], 2, [
    { kind: 'conv2d', filters: 1, kernel: 1 },
    { kind: 'batchnorm' },
    { kind: 'neuron', neuron: IF },
    { kind: 'conv2d', filters: 2, kernel: 3, stride: 2, padding: 1 },
    { kind: 'neuron', neuron: IF },
    { kind: 'maxpool', size: 3 },
    { kind: 'flatten' },
    { kind: 'dense', units: 3 },
    { kind: 'neuron', neuron: IF },
  ]);
}

/** Sets every weight by name; unnamed ones keep what `fill` gives for their name. */
function setWeights(net: SnnNetwork, fill: (name: string, shape: number[]) => number): void {
  const named = net.namedWeights();
  const values: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(named)) values[name] = tf.fill(t.shape, fill(name, t.shape));
  net.loadWeights(values);
  tf.dispose(Object.values(values));
}

/** Input pixels: (0,0) = 2 and (2,3) = 2 spike at both steps; (1,1) = 0.6 spikes at step 2 only. */
function tinyInput(batch: number): tf.Tensor {
  const x = new Float32Array(batch * 25);
  for (let b = 0; b < batch; b++) {
    x[b * 25 + 0] = 2;
    x[b * 25 + 1 * 5 + 1] = 0.6;
    x[b * 25 + 2 * 5 + 3] = 2;
  }
  return tf.tensor(x, [batch, 5, 5, 1]);
}

describe('fan-out under padding and stride', () => {
  it('counts the outputs each input feeds along an axis, by hand', () => {
    // 5 inputs, kernel 3, stride 2, pad 1: outputs read [-1,0,1], [1,2,3], [3,4,5]
    expect(axisFanout(5, 3, 2, 1, 3)).toEqual([1, 2, 1, 2, 1]);
    // stride larger than the kernel leaves inputs 2 and 5 unread
    expect(axisFanout(6, 2, 3, 0, 2)).toEqual([1, 1, 0, 1, 1, 0]);
    expect(axisFanout(2, 2, 1, 1, 3)).toEqual([2, 2]);
  });

  it('agrees with a real convolution of ones over random geometries', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 12; trial++) {
      const H = 3 + Math.floor(rng.uniform(0, 6));
      const W = 3 + Math.floor(rng.uniform(0, 6));
      const k = 1 + Math.floor(rng.uniform(0, 3));
      const s = 1 + Math.floor(rng.uniform(0, 3));
      const p = Math.floor(rng.uniform(0, k));
      const OH = Math.floor((H + 2 * p - k) / s) + 1;
      const OW = Math.floor((W + 2 * p - k) / s) + 1;
      const g = { inShape: [1, H, W], outShape: [1, OH, OW], kernel: [k, k] as const, stride: [s, s] as const, padding: [p, p] as const };
      // Each input pixel's fan-out = the gradient of sum(conv(x, ones)) with respect to x.
      const grad = tf.tidy(() => {
        const f = (x: tf.Tensor) => tf.sum(tf.conv2d(tf.pad(x as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]]), tf.ones([k, k, 1, 1]) as tf.Tensor4D, s, 'valid'));
        return tf.grad(f)(tf.ones([1, H, W, 1]) as tf.Tensor4D).dataSync();
      });
      expect(Array.from(convFanoutMap(g))).toEqual(Array.from(grad));
      expect(convConnections({ ...g, inShape: [3, H, W], outShape: [4, OH, OW] })).toBe(Array.from(grad).reduce((a, b) => a + b, 0) * 12);
    }
  });
});

describe('activity counts on a hand-built model', () => {
  it('counts spikes, SynOps, MACs and energy as worked out by hand', async () => {
    const model = tinyModel();
    const net = buildNetwork(model, { seed: 0 });
    setWeights(net, (name) => {
      if (name === 'conv2d_0/kernel') return 1;
      if (name === 'conv2d_1/bias') return 2;
      if (name.endsWith('gamma') || name.endsWith('moving_variance')) return 1;
      return 0;
    });
    const collector = new ActivityCollector(model, { synops: true });
    const x = tinyInput(2);
    net.forward(x, { training: false, rng: new Random(0), probe: collector }).dispose();
    collector.endBatch(2);
    const counts = await collector.read();
    const s = summarizeActivity(model, collector.plans, counts, ENERGY_TABLES.horowitz45_fp32);
    const layer = (id: string) => s.layers.find((l) => l.name === id)!;

    // neuron_0: pixels 2, 2 fire at both steps, 0.6 at step 2: 5 spikes of 25 neurons x 2 steps
    expect(layer('neuron_0')).toMatchObject({ neurons: 25, spikes: 5, firing_rate: 0.1, silent: 22 / 25, saturated: 2 / 25 });
    // neuron_1: bias 2 everywhere, 18 neurons fire at both steps
    expect(layer('neuron_1')).toMatchObject({ neurons: 18, spikes: 36, firing_rate: 1, silent: 0, saturated: 1 });
    // neuron_2: dense weights and bias 0, never fires
    expect(layer('neuron_2')).toMatchObject({ neurons: 3, spikes: 0, firing_rate: 0, silent: 1, saturated: 0 });

    // conv2d_0 and batchnorm_0 see the direct-encoded image once (static prefix): 25 MACs each
    expect(layer('conv2d_0')).toMatchObject({ macs: 25, synops: 0 });
    expect(layer('batchnorm_0')).toMatchObject({ macs: 25, synops: 0 });
    // conv2d_1 fan-out per row [1,2,1,2,1] (and per column); 2 filters:
    // (0,0): 2 spikes x 1*1, (1,1): 1 spike x 2*2, (2,3): 2 spikes x 1*2 -> 10, x 2 filters = 20
    expect(layer('conv2d_1')).toMatchObject({ macs: 0, synops: 20 });
    // maxpool of saturated spikes: 2 channels x 2 steps = 4 events x 3 units
    expect(layer('dense_0')).toMatchObject({ macs: 0, synops: 12 });

    expect(s.total.synops).toBe(32);
    expect(s.total.macs).toBe(50);
    expect(s.total.state_updates).toBe((25 + 18 + 3) * 2);
    expect(s.total.energy_j).toBeCloseTo((32 * 0.9 + 50 * 4.6) * 1e-12, 20);
    // ANN: conv0 25 + bn 25 + conv1 (7 x 7 map sum) x 1 x 2 + dense 2 x 3
    expect(s.total.ann_macs).toBe(25 + 25 + 98 + 6);
    expect(s.total.ann_energy_j).toBeCloseTo(154 * 4.6e-12, 20);
    expect(s.samples).toBe(2);
    expect(s.table.name).toBe('horowitz45_fp32');

    collector.dispose();
    x.dispose();
    net.dispose();
  });

  it('keeps no tensors after read and dispose', async () => {
    const model = tinyModel();
    const net = buildNetwork(model, { seed: 0 });
    const before = tf.memory().numTensors;
    const collector = new ActivityCollector(model, { synops: true });
    const x = tinyInput(1);
    for (let i = 0; i < 3; i++) {
      net.forward(x, { training: false, rng: new Random(0), probe: collector }).dispose();
      collector.endBatch(1);
    }
    expect((await collector.read()).samples).toBe(3);
    collector.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('counts MACs where spikes were averaged, and membrane decoding', async () => {
    // poisson-free spikes in: latency encoding; avgpool of spikes is not a spike
    const model = makeModel(
      [1, 4, 4],
      3,
      [{ kind: 'conv2d', filters: 2, kernel: 3, padding: 1 }, { kind: 'neuron', neuron: IF }, { kind: 'avgpool', size: 2 }, { kind: 'flatten' }, { kind: 'dense', units: 4 }, { kind: 'neuron', neuron: IF }],
      { encoder: { kind: 'latency', mode: 'linear', tau: 1, threshold: 0.01 }, decoder: { kind: 'membrane' } },
    );
    const plans = planActivity(model);
    expect(plans.map((p) => (p.role.role === 'synaptic' ? p.role.input : p.role.role))).toEqual(['spikes', 'neuron', 'free', 'free', 'analog', 'neuron']);
    const net = buildNetwork(model, { seed: 1 });
    const collector = new ActivityCollector(model, { synops: true });
    const x = tf.ones([1, 4, 4, 1]);
    net.forward(x, { training: false, rng: new Random(0), probe: collector }).dispose();
    collector.endBatch(1);
    const s = summarizeActivity(model, collector.plans, await collector.read(), ENERGY_TABLES.horowitz45_int8);
    // dense_0 reads 8 averaged values per step at 3 steps: 8 x 4 x 3 MACs
    expect(s.layers.find((l) => l.name === 'dense_0')!.macs).toBe(96);
    // latency linear: every pixel of value 1 fires once, at step 0; 3x3 pad 1 on 4x4: row fan [2,3,3,2]
    expect(s.layers.find((l) => l.name === 'conv2d_0')!.synops).toBe(10 * 10 * 2);
    // membrane decoding: 4 outputs x 3 steps
    expect(s.layers.at(-1)).toMatchObject({ name: 'decode', kind: 'decoder', macs: 12 });
    expect(s.total.energy_j).toBeCloseTo((200 * 0.03 + (96 + 12) * 0.23) * 1e-12, 20);
    collector.dispose();
    x.dispose();
    net.dispose();
  });

  it('counts a recurrent layer: spikes fed back through a one-step delay trigger SynOps', async () => {
    // x -> dense_0 -> add(dense_0, dense_1) -> IF -> delay(1) -> dense_1 (recurrent), IF -> dense_2 -> IF; T = 3
    const layers: Layer[] = [
      { kind: 'dense', id: 'dense_0', inShape: [2], outShape: [2], units: 2, bias: true },
      { kind: 'add', id: 'add_0', inShape: [2], outShape: [2], inputs: ['dense_0', 'dense_1'] },
      { kind: 'neuron', id: 'neuron_0', inShape: [2], outShape: [2], neuron: IF },
      { kind: 'delay', id: 'delay_0', inShape: [2], outShape: [2], steps: 1, inputs: ['neuron_0'] },
      { kind: 'dense', id: 'dense_1', inShape: [2], outShape: [2], units: 2, bias: false },
      { kind: 'dense', id: 'dense_2', inShape: [2], outShape: [1], units: 1, bias: true, inputs: ['neuron_0'] },
      { kind: 'neuron', id: 'neuron_1', inShape: [1], outShape: [1], neuron: IF },
    ];
    const model: Model = { name: 'rec', params: {}, input: [2], steps: 3, encoder: { kind: 'direct' }, layers, decoder: { kind: 'rate' }, outputShape: [1] };
    const net = buildNetwork(model, { seed: 0 });
    // dense_0 = identity, recurrent and readout weights 0, readout bias 2
    setWeights(net, (name) => (name === 'dense_2/bias' ? 2 : 0));
    const id = tf.tensor2d([[1, 0], [0, 1]]);
    (net.namedWeights()['dense_0/kernel'] as tf.Variable).assign(id);
    id.dispose();
    const collector = new ActivityCollector(model, { synops: true });
    const x = tf.tensor2d([[2, 0]]);
    net.forward(x, { training: false, rng: new Random(0), probe: collector }).dispose();
    collector.endBatch(1);
    const s = summarizeActivity(model, collector.plans, await collector.read(), ENERGY_TABLES.horowitz45_fp32);
    const layer = (name: string) => s.layers.find((l) => l.name === name)!;
    // unit 0 gets 2 at every step: 3 spikes of 2 neurons x 3 steps
    expect(layer('neuron_0')).toMatchObject({ spikes: 3, firing_rate: 0.5, silent: 0.5, saturated: 0.5 });
    // the delay passes steps 0 and 1 on at steps 1 and 2: 2 events x 2 recurrent synapses
    expect(layer('dense_1')).toMatchObject({ synops: 4, macs: 0 });
    // every spike of neuron_0 reaches the one readout unit
    expect(layer('dense_2')).toMatchObject({ synops: 3, macs: 0 });
    // dense_0 sees the direct-encoded input once: 2 x 2 MACs
    expect(layer('dense_0')).toMatchObject({ synops: 0, macs: 4 });
    expect(layer('neuron_1')).toMatchObject({ spikes: 3, firing_rate: 1 });
    expect(s.total.energy_j).toBeCloseTo((7 * 0.9 + 4 * 4.6) * 1e-12, 20);
    collector.dispose();
    x.dispose();
    net.dispose();
  });

  it('counts a conv1d fed by spikes with its exact fan-out', async () => {
    // latency-coded ones: every input position fires once (step 0); kernel 3, stride 2, pad 1 over 5
    const layers: Layer[] = [
      { kind: 'conv1d', id: 'conv1d_0', inShape: [1, 5], outShape: [2, 3], filters: 2, kernel: 3, stride: 2, padding: 1, bias: true },
      { kind: 'neuron', id: 'neuron_0', inShape: [2, 3], outShape: [2, 3], neuron: IF },
      { kind: 'flatten', id: 'flatten_0', inShape: [2, 3], outShape: [6] },
      { kind: 'dense', id: 'dense_0', inShape: [6], outShape: [2], units: 2, bias: true },
      { kind: 'neuron', id: 'neuron_1', inShape: [2], outShape: [2], neuron: IF },
    ];
    const model: Model = { name: 'c1', params: {}, input: [1, 5], steps: 3, encoder: { kind: 'latency', mode: 'linear', tau: 1, threshold: 0.01 }, layers, decoder: { kind: 'rate' }, outputShape: [2] };
    const net = buildNetwork(model, { seed: 2 });
    const collector = new ActivityCollector(model, { synops: true });
    const x = tf.ones([1, 5, 1]);
    net.forward(x, { training: false, rng: new Random(0), probe: collector }).dispose();
    collector.endBatch(1);
    const s = summarizeActivity(model, collector.plans, await collector.read(), ENERGY_TABLES.horowitz45_fp32);
    // fan-outs [1, 2, 1, 2, 1] sum to 7, times 2 filters
    expect(s.layers.find((l) => l.name === 'conv1d_0')).toMatchObject({ synops: 14, macs: 0 });
    // as an ANN: the same 7 x 1 x 2 connections, plus dense 6 x 2
    expect(s.total.ann_macs).toBe(14 + 12);
    collector.dispose();
    x.dispose();
    net.dispose();
  });
});

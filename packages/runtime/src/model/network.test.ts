import * as tf from '@tensorflow/tfjs-core';
import { Random, isSnncError } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { buildNetwork } from './network.js';
import { lifDef, makeModel, reportModel } from './__tests__/models.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('buildNetwork', () => {
  it('names every persistent tensor and lists trainables in layer order', () => {
    const net = buildNetwork(reportModel(16, 8, 2), { seed: 1 });
    const names = Object.keys(net.namedWeights());
    expect(names.slice(0, 6)).toEqual([
      'conv2d_0/kernel',
      'conv2d_0/bias',
      'batchnorm_0/gamma',
      'batchnorm_0/beta',
      'batchnorm_0/moving_mean',
      'batchnorm_0/moving_variance',
    ]);
    expect(net.namedWeights()['conv2d_0/kernel']!.shape).toEqual([3, 3, 1, 4]);
    expect(net.namedWeights()['dense_0/kernel']!.shape).toEqual([16 * 9, 8]);
    // 3 conv (k, b) + 3 bn (g, b) + 2 dense (k, b)
    expect(net.trainable.length).toBe(16);
    net.dispose();
  });

  it('initialises like PyTorch: U(+-1/sqrt(fan_in)), deterministic per seed', () => {
    const a = buildNetwork(reportModel(16, 8, 2), { seed: 7 });
    const b = buildNetwork(reportModel(16, 8, 2), { seed: 7 });
    const c = buildNetwork(reportModel(16, 8, 2), { seed: 8 });
    const ka = a.namedWeights()['conv2d_1/kernel']!.dataSync();
    const bound = 1 / Math.sqrt(4 * 9);
    expect(Math.max(...ka.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...ka.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Array.from(b.namedWeights()['conv2d_1/kernel']!.dataSync())).toEqual(Array.from(ka));
    expect(Array.from(c.namedWeights()['conv2d_1/kernel']!.dataSync())).not.toEqual(Array.from(ka));
    expect(Array.from(a.namedWeights()['batchnorm_0/gamma']!.dataSync())).toEqual([1, 1, 1, 1]);
    expect(Array.from(a.namedWeights()['batchnorm_0/moving_variance']!.dataSync())).toEqual([1, 1, 1, 1]);
    for (const n of [a, b, c]) n.dispose();
  });

  it('produces rates in [0, 1] of shape [B, 10]', () => {
    const net = buildNetwork(reportModel(16, 8, 4), { seed: 1 });
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 3);
    const y = net.forward(x, { training: false, rng: new Random(1) });
    expect(y.shape).toEqual([3, 10]);
    const v = y.dataSync();
    for (const r of v) expect([0, 0.25, 0.5, 0.75, 1]).toContain(r);
    tf.dispose([x, y]);
    net.dispose();
  });

  it('direct encoding runs the prefix once and matches a model whose prefix sees all T copies', () => {
    // Poisson with gain 1 on a 0/1 input is deterministic and equal to direct encoding.
    const model = reportModel(8, 8, 3);
    const net = buildNetwork(model, { seed: 2 });
    const poisson = buildNetwork({ ...model, encoder: { kind: 'poisson', gain: 1 } }, { seed: 2 });
    const x = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5), 0.5), 'float32'));
    for (const training of [false, true]) {
      const a = net.forward(x, { training, rng: new Random(1) });
      const b = poisson.forward(x, { training, rng: new Random(1) });
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      tf.dispose([a, b]);
    }
    // running statistics moved the same way
    const ma = net.namedWeights()['batchnorm_0/moving_mean']!.dataSync();
    const mb = poisson.namedWeights()['batchnorm_0/moving_mean']!.dataSync();
    for (let i = 0; i < ma.length; i++) expect(ma[i]).toBeCloseTo(mb[i]!, 6);
    x.dispose();
    net.dispose();
    poisson.dispose();
  });

  it('loadWeights round-trips and rejects missing names and wrong shapes with SNN7007', () => {
    const a = buildNetwork(reportModel(8, 8, 2), { seed: 1 });
    const b = buildNetwork(reportModel(8, 8, 2), { seed: 2 });
    b.loadWeights(a.namedWeights());
    expect(Array.from(b.namedWeights()['dense_1/kernel']!.dataSync())).toEqual(Array.from(a.namedWeights()['dense_1/kernel']!.dataSync()));
    const missing = { ...a.namedWeights() };
    delete missing['dense_1/bias'];
    const err = (() => {
      try {
        b.loadWeights(missing);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isSnncError(err) && err.code === 'SNN7007').toBe(true);
    const wrong = tf.zeros([3, 3]);
    expect(() => b.loadWeights({ ...a.namedWeights(), 'dense_1/kernel': wrong })).toThrow(/shape \[3, 3\]/);
    wrong.dispose();
    a.dispose();
    b.dispose();
  });

  it.each(['wasm', 'tensorflow'] as const)('trains on %s too (if it loads): finite loss, flat tensor count, same start as cpu', async (backend) => {
    const model = makeModel([1, 6, 6], 3, [
      { kind: 'conv2d', filters: 4, kernel: 3, padding: 1 },
      { kind: 'batchnorm' },
      { kind: 'neuron' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 5 },
      { kind: 'neuron', neuron: lifDef({ surrogate: { kind: 'sigmoid', alpha: 4 } }) },
    ]);
    const xv = Float32Array.from({ length: 4 * 36 }, (_, i) => ((i * 7) % 11) / 5);
    const first = async (name: 'cpu' | typeof backend) => {
      await loadBackend(name);
      const net = buildNetwork(model, { seed: 5 });
      const x = tf.tensor4d(xv, [4, 6, 6, 1]);
      const y = tf.tidy(() => net.forward(x, { training: false, rng: new Random(0) }).dataSync());
      return { net, x, y };
    };
    const ref = await first('cpu');
    ref.net.dispose();
    ref.x.dispose();
    try {
      await loadBackend(backend);
    } catch {
      await loadBackend('cpu');
      return; // tensorflow is optional (tools/build-tfjs-node.sh)
    }
    const { net, x, y } = await first(backend);
    expect(Array.from(y)).toEqual(Array.from(ref.y)); // same seeded weights, same spikes
    const opt = tf.train.adam(0.01);
    const target = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
    let count = -1;
    for (let i = 0; i < 6; i++) {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(net.forward(x, { training: true, rng: new Random(i) }), target))) as tf.Scalar, true, net.trainable);
      expect(Number.isFinite(loss!.dataSync()[0])).toBe(true);
      loss!.dispose();
      if (i === 1) count = tf.memory().numTensors;
      if (i > 1) expect(tf.memory().numTensors).toBe(count);
    }
    tf.dispose([x, target]);
    opt.dispose();
    net.dispose();
    await loadBackend('cpu');
  });

  it('learns: loss falls on a fixed batch and the tensor count stays flat', () => {
    const model = makeModel([1, 8, 8], 4, [
      { kind: 'conv2d', filters: 4, kernel: 3, padding: 1 },
      { kind: 'batchnorm' },
      { kind: 'neuron' },
      { kind: 'maxpool', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 16 },
      { kind: 'neuron' },
      { kind: 'dropout', rate: 0.1 },
      { kind: 'dense', units: 4 },
      { kind: 'neuron', neuron: lifDef() },
    ]);
    const net = buildNetwork(model, { seed: 3 });
    const rng = new Random(9);
    const x = tf.tidy(() => tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 11));
    const target = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4), 'float32');
    const opt = tf.train.adam(0.02);
    const losses: number[] = [];
    let count = -1;
    for (let i = 0; i < 40; i++) {
      const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(net.forward(x, { training: true, rng }), target))) as tf.Scalar, true, net.trainable);
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
      if (i === 2) count = tf.memory().numTensors;
      if (i > 2) expect(tf.memory().numTensors).toBe(count);
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
    tf.dispose([x, target]);
    opt.dispose();
    net.dispose();
  });
});

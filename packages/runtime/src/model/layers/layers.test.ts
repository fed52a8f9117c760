import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildAvgPool } from './avgpool.js';
import { buildConv2d } from './conv2d.js';
import { buildDense } from './dense.js';
import { buildFlatten } from './flatten.js';
import { buildMaxPool } from './maxpool.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const ctx = { training: false, rng: new Random(0), steps: 1, batch: 1, folded: true };

describe('stateless layers', () => {
  it('maxpool and avgpool use valid windows (7 -> 3 with size 2, as PyTorch floor mode)', () => {
    const x = tf.reshape(tf.range(0, 49, 1, 'float32'), [1, 7, 7, 1]);
    const mp = buildMaxPool({ kind: 'maxpool', id: 'maxpool_0', inShape: [1, 7, 7], outShape: [1, 3, 3], size: [2, 2], stride: [2, 2] });
    const ap = buildAvgPool({ kind: 'avgpool', id: 'avgpool_0', inShape: [1, 7, 7], outShape: [1, 3, 3], size: [2, 2], stride: [2, 2] });
    const m = mp.apply(x, ctx);
    expect(m.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(m.dataSync()).slice(0, 3)).toEqual([8, 10, 12]);
    expect(Array.from(ap.apply(x, ctx).dataSync()).slice(0, 2)).toEqual([4, 6]);
  });

  it('flatten keeps the batch axis', () => {
    const f = buildFlatten({ kind: 'flatten', id: 'flatten_0', inShape: [2, 3, 4], outShape: [24] });
    expect(f.apply(tf.zeros([5, 3, 4, 2]), ctx).shape).toEqual([5, 24]);
  });

  it('dense computes x W + b with PyTorch init bounds', () => {
    const d = buildDense({ kind: 'dense', id: 'dense_0', inShape: [4], outShape: [3], units: 3, bias: true }, new Random(3));
    const w = d.weights['kernel']!;
    const b = d.weights['bias']!;
    expect(w.shape).toEqual([4, 3]);
    for (const v of b.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const want = tf.add(tf.matMul(x, w), b).dataSync();
    expect(Array.from(d.apply(x, ctx).dataSync())).toEqual(Array.from(want));
  });

  it('conv2d without bias has one trainable and the NHWC output shape', () => {
    const c = buildConv2d(
      { kind: 'conv2d', id: 'conv2d_0', inShape: [2, 6, 6], outShape: [3, 6, 6], filters: 3, kernel: [3, 3], stride: [1, 1], padding: [1, 1], bias: false },
      new Random(1),
      false,
    );
    expect(c.trainable).toHaveLength(1);
    expect(c.apply(tf.zeros([2, 6, 6, 2]), ctx).shape).toEqual([2, 6, 6, 3]);
  });
});

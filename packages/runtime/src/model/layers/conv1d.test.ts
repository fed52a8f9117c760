import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildConv1d } from './conv1d.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const ctx = { training: false, rng: new Random(0), steps: 1, batch: 1, folded: true };

describe('conv1d', () => {
  it('slides a [K, C_in, C_out] kernel over NLC with zero padding, as PyTorch Conv1d', () => {
    const c = buildConv1d({ kind: 'conv1d', id: 'conv1d_0', inShape: [1, 5], outShape: [1, 5], filters: 1, kernel: 3, stride: 1, padding: 1, bias: false }, new Random(0));
    c.weights['kernel']!.assign(tf.tensor3d([1, 2, 3], [3, 1, 1]));
    const x = tf.tensor3d([1, 0, 0, 0, 2], [1, 5, 1]);
    // y[l] = x[l-1]*1 + x[l]*2 + x[l+1]*3 (cross-correlation)
    expect(Array.from(c.apply(x, ctx).dataSync())).toEqual([2, 1, 0, 6, 4]);
  });

  it('strides and counts channels like the compiler infers', () => {
    const c = buildConv1d({ kind: 'conv1d', id: 'conv1d_0', inShape: [2, 9], outShape: [4, 4], filters: 4, kernel: 3, stride: 2, padding: 0, bias: true }, new Random(1));
    expect(c.trainable).toHaveLength(2);
    expect(c.apply(tf.zeros([3, 9, 2]), ctx).shape).toEqual([3, 4, 4]);
  });
});

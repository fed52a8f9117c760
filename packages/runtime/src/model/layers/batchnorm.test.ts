import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildBatchNorm } from './batchnorm.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const ctx = (training: boolean) => ({ training, rng: new Random(0), steps: 1, batch: 4, folded: true });

describe('batchnorm layer', () => {
  it('normalises with batch statistics in training and moves the running statistics like PyTorch', () => {
    const bn = buildBatchNorm({ kind: 'batchnorm', id: 'batchnorm_0', inShape: [2], outShape: [2], eps: 1e-5, momentum: 0.1 });
    // channel 0: 1, 2, 3, 4 (mean 2.5, biased var 1.25, unbiased 5/3); channel 1: all 7
    const x = tf.tensor2d([1, 7, 2, 7, 3, 7, 4, 7], [4, 2]);
    const y = bn.apply(x, ctx(true)).arraySync() as number[][];
    expect(y[0]![0]).toBeCloseTo(-1.5 / Math.sqrt(1.25 + 1e-5), 5);
    expect(y[3]![0]).toBeCloseTo(1.5 / Math.sqrt(1.25 + 1e-5), 5);
    expect(y[2]![1]).toBeCloseTo(0, 6);
    const mm = bn.weights['moving_mean']!.dataSync();
    const mv = bn.weights['moving_variance']!.dataSync();
    expect(mm[0]).toBeCloseTo(0.25, 6);
    expect(mm[1]).toBeCloseTo(0.7, 6);
    expect(mv[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 6);
    expect(mv[1]).toBeCloseTo(0.9, 6);
  });

  it('uses the running statistics in evaluation and leaves them alone', () => {
    const bn = buildBatchNorm({ kind: 'batchnorm', id: 'batchnorm_0', inShape: [1, 2, 2], outShape: [1, 2, 2], eps: 0, momentum: 0.1 });
    bn.weights['moving_mean']!.assign(tf.tensor1d([2]));
    bn.weights['moving_variance']!.assign(tf.tensor1d([4]));
    bn.weights['gamma']!.assign(tf.tensor1d([3]));
    bn.weights['beta']!.assign(tf.tensor1d([1]));
    const y = bn.apply(tf.tensor4d([2, 4, 0, 6], [1, 2, 2, 1]), ctx(false)).dataSync();
    // (x - 2) / 2 * 3 + 1
    expect(Array.from(y)).toEqual([1, 4, -2, 7]);
    expect(bn.weights['moving_mean']!.dataSync()[0]).toBe(2);
    expect(bn.trainable).toHaveLength(2);
  });
});

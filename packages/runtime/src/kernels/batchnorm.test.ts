import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { affineBatchNorm, batchNormTrain, channelMoments } from './batchnorm.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('affine batch norm', () => {
  it('equals tf.batchNorm in value and in every gradient', () => {
    const rng = new Random(4);
    const arr = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    const x = tf.tensor4d(arr(3 * 4 * 5 * 6, -2, 3), [3, 4, 5, 6]);
    const gamma = tf.tensor1d(arr(6, 0.5, 1.5));
    const beta = tf.tensor1d(arr(6));
    const r = tf.tensor4d(arr(3 * 4 * 5 * 6), [3, 4, 5, 6]);
    const ours = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = channelMoments(xi);
      return tf.sum(tf.mul(affineBatchNorm(xi, mean, variance, g, b, 1e-5), r));
    };
    const theirs = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(xi, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(xi, mean, variance, b, g, 1e-5), r));
    };
    const a = tf.grads(ours)([x, gamma, beta]);
    const b = tf.grads(theirs)([x, gamma, beta]);
    expect(ours(x, gamma, beta).dataSync()[0]).toBeCloseTo(theirs(x, gamma, beta).dataSync()[0]!, 4);
    for (let k = 0; k < 3; k++) {
      const av = a[k]!.dataSync();
      const bv = b[k]!.dataSync();
      for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(bv[i]!, 4);
    }
  });

  it('closed-form training batch norm equals autodiff through moments + affine form', () => {
    const rng = new Random(8);
    const arr = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    for (const shape of [[5, 3, 4, 6], [7, 5]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const c = shape[shape.length - 1]!;
      const x = tf.tensor(arr(size, -2, 3), shape);
      const gamma = tf.tensor1d(arr(c, 0.5, 1.5));
      const beta = tf.tensor1d(arr(c));
      const r = tf.tensor(arr(size), shape);
      const ours = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const out = batchNormTrain(xi, g, b, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.mul(out.y, r));
      };
      const ref = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = channelMoments(xi);
        return tf.sum(tf.mul(affineBatchNorm(xi, mean, variance, g, b, 1e-5), r));
      };
      expect(ours(x, gamma, beta).dataSync()[0]).toBeCloseTo(ref(x, gamma, beta).dataSync()[0]!, 3);
      const a = tf.grads(ours)([x, gamma, beta]);
      const b = tf.grads(ref)([x, gamma, beta]);
      for (let k = 0; k < 3; k++) {
        const av = a[k]!.dataSync();
        const bv = b[k]!.dataSync();
        for (let i = 0; i < av.length; i++) expect(Math.abs(av[i]! - bv[i]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(bv[i]!)));
      }
      const out = batchNormTrain(x, gamma, beta, 1e-5);
      const m = channelMoments(x);
      expect(Array.from(out.mean.dataSync()).map((v, i) => Math.abs(v - m.mean.dataSync()[i]!) < 1e-6)).not.toContain(false);
      expect(Array.from(out.variance.dataSync()).map((v, i) => Math.abs(v - m.variance.dataSync()[i]!) < 1e-5)).not.toContain(false);
      expect(out.count).toBe(size / c);
    }
  });

  it('closed-form training batch norm leaks nothing', () => {
    const x = tf.randomUniform([4, 3, 3, 2]);
    const g = tf.ones([2]);
    const b = tf.zeros([2]);
    const run = () => tf.tidy(() => {
      const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
        const out = batchNormTrain(xi, gi, bi, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.square(out.y));
      })([x, g, b]);
      return grads[0]!.dataSync()[0];
    });
    run();
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts samples over every axis but the channels', () => {
    const { count, mean } = channelMoments(tf.ones([2, 3, 4, 5]));
    expect(count).toBe(24);
    expect(mean.shape).toEqual([5]);
  });
});

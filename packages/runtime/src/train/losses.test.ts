import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../node/backend/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { encodeBatch, targetCodec } from './codes/index.js';
import { makeLoss } from './losses.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

function value(kind: 'mse' | 'cross_entropy', code: 'onehot' | 'inverse_onehot' | 'binary' | 'gray', classes: number, outputs: number[], labels: number[]): number {
  const codec = targetCodec(code, classes);
  const loss = makeLoss(kind, codec, 'rate');
  return tf.tidy(() => {
    const o = tf.tensor2d(outputs, [labels.length, codec.outputs]);
    const t = tf.tensor2d(encodeBatch(codec, labels), [labels.length, codec.outputs]);
    return loss(o, t).dataSync()[0]!;
  });
}

describe('losses', () => {
  it('mse is the mean over batch x outputs, like F.mse_loss', () => {
    // rows: [0.5, 0, 1] vs class 1 -> [0,1,0]: 0.25 + 1 + 1; [0, 0.25, 0] vs class 0: 1 + 0.0625 + 0
    const expected = (0.25 + 1 + 1 + 1 + 0.0625) / 6;
    expect(value('mse', 'onehot', 3, [0.5, 0, 1, 0, 0.25, 0], [1, 0])).toBeCloseTo(expected, 6);
    // bit code for label 2 of 4 classes (2 bits, MSB first) is [1, 0]
    expect(value('mse', 'binary', 4, [0.75, 0.25], [2])).toBeCloseTo((0.0625 + 0.0625) / 2, 6);
  });

  it('cross-entropy is the softmax cross-entropy with the label for one-hot', () => {
    const z = [1, 2, 0.5];
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5));
    expect(value('cross_entropy', 'onehot', 3, z, [0])).toBeCloseTo(lse - 1, 5);
    expect(value('cross_entropy', 'onehot', 3, [...z, ...z], [0, 1])).toBeCloseTo((lse - 1 + lse - 2) / 2, 5);
  });

  it('cross-entropy for inverse one-hot uses the negated outputs as logits', () => {
    const z = [1, 2, 0.5];
    const lse = Math.log(Math.exp(-1) + Math.exp(-2) + Math.exp(-0.5));
    expect(value('cross_entropy', 'inverse_onehot', 3, z, [2])).toBeCloseTo(lse + 0.5, 5);
  });

  it('cross-entropy for bit codes is the mean binary cross-entropy per bit', () => {
    // label 1 of 10 in gray is 0001
    const p = [0.2, 0.1, 0.5, 0.9];
    const expected = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.5) + Math.log(0.9)) / 4;
    expect(value('cross_entropy', 'gray', 10, p, [1])).toBeCloseTo(expected, 5);
    // a saturated wrong bit is clamped, not infinite
    expect(Number.isFinite(value('cross_entropy', 'binary', 10, [1, 1, 1, 1], [0]))).toBe(true);
  });

  it('refuses bit-wise cross-entropy on counts or membranes with SNN7009', () => {
    try {
      makeLoss('cross_entropy', targetCodec('binary', 10), 'count');
      expect.unreachable();
    } catch (e) {
      expect(isSnncError(e) && e.code).toBe('SNN7009');
      expect((e as Error).message).toMatch(/decode rate/);
    }
    expect(() => makeLoss('cross_entropy', targetCodec('onehot', 10), 'count')).not.toThrow();
  });

  it('has gradients that match the analytic ones', () => {
    const codec = targetCodec('onehot', 3);
    const loss = makeLoss('mse', codec, 'rate');
    const g = tf.tidy(() => {
      const t = tf.tensor2d([0, 1, 0], [1, 3]);
      return tf.grad((o: tf.Tensor) => loss(o as tf.Tensor2D, t))(tf.tensor2d([0.5, 0.5, 0], [1, 3])).dataSync();
    });
    // d/do mean((o - t)^2) = 2 (o - t) / 3
    expect(Array.from(g).map((x) => +x.toFixed(6))).toEqual([+(1 / 3).toFixed(6), +(-1 / 3).toFixed(6), 0]);
  });
});

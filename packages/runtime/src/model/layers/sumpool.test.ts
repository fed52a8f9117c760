import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildSumPool } from './sumpool.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('sumpool', () => {
  it('sums each valid window', () => {
    const p = buildSumPool({ kind: 'sumpool', id: 'sumpool_0', inShape: [1, 3, 3], outShape: [1, 1, 1], size: [2, 2], stride: [2, 2] });
    const x = tf.reshape(tf.range(1, 10, 1, 'float32'), [1, 3, 3, 1]);
    expect(Array.from(p.apply(x, { training: false, rng: new Random(0), steps: 1, batch: 1, folded: true }).dataSync())).toEqual([1 + 2 + 4 + 5]);
  });
});

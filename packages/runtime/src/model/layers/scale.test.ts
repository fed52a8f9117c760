import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildScale } from './scale.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('scale', () => {
  it('multiplies by its factor and learns nothing', () => {
    const s = buildScale({ kind: 'scale', id: 'scale_0', inShape: [3], outShape: [3], factor: -0.5 });
    expect(s.trainable).toHaveLength(0);
    expect(Array.from(s.apply(tf.tensor2d([[2, 4, -6]]), { training: false, rng: new Random(0), steps: 1, batch: 1, folded: true }).dataSync())).toEqual([-1, -2, 3]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildLayerNorm } from './layernorm.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('layernorm', () => {
  it('normalises each row over all its axes (biased variance), then gamma and beta', () => {
    const ln = buildLayerNorm({ kind: 'layernorm', id: 'layernorm_0', inShape: [4], outShape: [4], eps: 0 });
    expect(Object.keys(ln.weights)).toEqual(['gamma', 'beta']);
    const y = ln.apply(tf.tensor2d([[1, 2, 3, 4], [10, 10, 10, 14]]), { training: true, rng: new Random(0), steps: 1, batch: 2, folded: true });
    const s = Math.sqrt(1.25);
    const got = Array.from(y.dataSync());
    [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s, -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), Math.sqrt(3)].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('keeps gamma and beta in the per-sample NHWC shape', () => {
    const ln = buildLayerNorm({ kind: 'layernorm', id: 'layernorm_0', inShape: [2, 3, 3], outShape: [2, 3, 3], eps: 1e-5 });
    expect(ln.weights['gamma']!.shape).toEqual([3, 3, 2]);
  });
});

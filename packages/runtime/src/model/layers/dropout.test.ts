import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildDropout } from './dropout.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('dropout layer', () => {
  const layer = buildDropout({ kind: 'dropout', id: 'dropout_0', inShape: [50], outShape: [50], rate: 0.4 });

  it('is the identity in evaluation', () => {
    const x = tf.ones([6, 50]);
    expect(layer.apply(x, { training: false, rng: new Random(1), steps: 3, batch: 2, folded: true })).toBe(x);
  });

  it('drops about `rate` of the units, scales the rest by 1/(1-rate), and shares the mask over T', () => {
    const T = 3;
    const B = 4;
    const y = layer.apply(tf.ones([T * B, 50]), { training: true, rng: new Random(2), steps: T, batch: B, folded: true }).arraySync() as number[][];
    const flat = y.flat();
    for (const v of flat) expect([0, 1 / 0.6].some((c) => Math.abs(v - c) < 1e-6)).toBe(true);
    const dropped = flat.filter((v) => v === 0).length / flat.length;
    expect(dropped).toBeGreaterThan(0.3);
    expect(dropped).toBeLessThan(0.5);
    for (let t = 1; t < T; t++) for (let b = 0; b < B; b++) expect(y[t * B + b]).toEqual(y[b]);
    expect(y[0]).not.toEqual(y[1]); // samples get their own masks
  });

  it('is reproducible from the rng', () => {
    const run = () => layer.apply(tf.ones([2, 50]), { training: true, rng: new Random(5), steps: 1, batch: 2, folded: false }).dataSync();
    expect(Array.from(run())).toEqual(Array.from(run()));
  });
});

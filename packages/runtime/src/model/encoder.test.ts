import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { encode, latencyEncode, poissonEncode } from './encoder.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('encoders', () => {
  it('direct passes the static input through unfolded', () => {
    const x = tf.ones([2, 3]);
    const e = encode({ kind: 'direct' }, x, 4, new Random(0));
    expect(e.folded).toBe(false);
    expect(e.x).toBe(x);
  });

  it('poisson fires with probability clamp(gain x, 0, 1), independently per step, seeded', () => {
    const T = 50;
    const x = tf.tensor2d([[0, 0.2, 0.6, 2]]);
    const s = poissonEncode(x, T, 1, new Random(3)).arraySync() as number[][];
    expect(s).toHaveLength(T);
    const rate = [0, 1, 2, 3].map((i) => s.reduce((a, row) => a + row[i]!, 0) / T);
    expect(rate[0]).toBe(0);
    expect(rate[1]).toBeGreaterThan(0.05);
    expect(rate[1]).toBeLessThan(0.4);
    expect(rate[2]).toBeGreaterThan(0.4);
    expect(rate[2]).toBeLessThan(0.8);
    expect(rate[3]).toBe(1);
    const again = poissonEncode(x, T, 1, new Random(3)).arraySync();
    expect(again).toEqual(s);
    const half = poissonEncode(tf.tensor2d([[1]]), 400, 0.5, new Random(4)).dataSync();
    const r = Array.from(half).reduce((a, b) => a + b, 0) / 400;
    expect(r).toBeGreaterThan(0.4);
    expect(r).toBeLessThan(0.6);
  });

  it('latency (linear) fires once at round((1 - x)(T - 1)); below threshold never', () => {
    const T = 5;
    const s = latencyEncode(tf.tensor2d([[1, 0.5, 0.1, 0.001]]), T, { kind: 'latency', mode: 'linear', tau: 1, threshold: 0.01 }).arraySync() as number[][];
    const when = (i: number) => s.map((row) => row[i]).indexOf(1);
    expect(when(0)).toBe(0);
    expect(when(1)).toBe(2);
    expect(when(2)).toBe(4); // round(0.9 * 4) = 4
    expect(s.every((row) => row[3] === 0)).toBe(true);
    for (let i = 0; i < 3; i++) expect(s.reduce((a, row) => a + row[i]!, 0)).toBe(1);
  });

  it('latency (log) fires at round(tau ln(x / (x - threshold))), clipped to T - 1', () => {
    const T = 6;
    const enc = { kind: 'latency', mode: 'log', tau: 5, threshold: 0.01 } as const;
    const xs = [1, 0.1, 0.02, 0.01, 0.005];
    const s = latencyEncode(tf.tensor2d([xs]), T, enc).arraySync() as number[][];
    const when = (i: number) => s.map((row) => row[i]).indexOf(1);
    expect(when(0)).toBe(Math.round(5 * Math.log(1 / 0.99))); // 0
    expect(when(1)).toBe(Math.round(5 * Math.log(0.1 / 0.09))); // 1
    expect(when(2)).toBe(3); // 5 ln 2 = 3.47
    expect(when(3)).toBe(T - 1); // at the threshold: infinitely late, clipped
    expect(when(4)).toBe(-1); // below the threshold: never
    const late = latencyEncode(tf.tensor2d([[0.0101]]), T, enc).dataSync();
    expect(late[T - 1]).toBe(1); // 5 ln(101) = 23 steps, clipped to T - 1
  });
});

import { describe, expect, it } from 'vitest';
import { Random } from '@snnc/ir';
import { choiceRows, sphereBall, sphereSurface } from './distributions.js';

const norms = (a: Float64Array, n: number, d: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.sqrt(Array.from({ length: d }, (_, k) => a[i * d + k]! ** 2).reduce((s, v) => s + v, 0)));

describe('scattered hypersphere samples', () => {
  it.each([1, 2, 3, 4, 6])('surface, d = %i: unit vectors, uniform (mean 0, E[x_k^2] = 1/d)', (d) => {
    const n = 3000;
    const a = sphereSurface(n, d, new Random(d));
    for (const r of norms(a, n, d)) expect(r).toBeCloseTo(1, 10);
    for (let k = 0; k < d; k++) {
      let m = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) (m += a[i * d + k]!), (sq += a[i * d + k]! ** 2);
      expect(Math.abs(m / n)).toBeLessThan(0.03);
      expect(Math.abs(sq / n - 1 / d)).toBeLessThan(0.02);
    }
  });

  it.each([1, 2, 3, 5])('ball, d = %i: inside the unit ball with uniform density', (d) => {
    const n = 3000;
    const a = sphereBall(n, d, new Random(10 + d));
    const r = norms(a, n, d);
    expect(Math.max(...r)).toBeLessThanOrEqual(1 + 1e-12);
    // P(|x| <= 0.8) = 0.8^d for a uniform density in the ball
    const inner = r.filter((x) => x <= 0.8).length / n;
    expect(Math.abs(inner - 0.8 ** d)).toBeLessThan(0.02);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(Array.from(sphereSurface(50, 3, new Random(1)))).toEqual(Array.from(sphereSurface(50, 3, new Random(1))));
    expect(Array.from(sphereBall(50, 4, new Random(1)))).not.toEqual(Array.from(sphereBall(50, 4, new Random(2))));
  });

  it('choice draws normalised rows from the given vectors', () => {
    const a = choiceRows(400, 2, [[1, 1], [-2, 0]], new Random(3));
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) seen.add(`${a[2 * i]!.toFixed(6)},${a[2 * i + 1]!.toFixed(6)}`);
    expect([...seen].sort()).toEqual(['-1.000000,0.000000', '0.707107,0.707107']);
  });
});

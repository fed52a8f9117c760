import { describe, expect, it } from 'vitest';
import { Matrix, solve } from 'ml-matrix';
import { Random } from '@snnc/ir';
import { disableWasmKernels, wasmKernels } from './kernels.js';
import { cholesky, choleskySolve, lstsqL2 } from './solver.js';

/** Direct solution of (A^T A + m sigma^2 I) D = A^T Y with ml-matrix. */
function direct(at: Float64Array, n: number, m: number, y: Float64Array, k: number, reg: number): Float64Array {
  const A = new Matrix(m, n);
  let maxA = 0;
  for (let i = 0; i < n; i++) for (let p = 0; p < m; p++) {
    A.set(p, i, at[i * m + p]!);
    maxA = Math.max(maxA, at[i * m + p]!);
  }
  const Y = new Matrix(m, k);
  for (let p = 0; p < m; p++) for (let c = 0; c < k; c++) Y.set(p, c, y[p * k + c]!);
  const G = A.transpose().mmul(A);
  const lambda = m * (reg * maxA) ** 2;
  for (let i = 0; i < n; i++) G.set(i, i, G.get(i, i) + lambda);
  const D = solve(G, A.transpose().mmul(Y));
  return Float64Array.from(D.to1DArray());
}

/** Rectified random activities: many exact zeros, like tuning curves. */
function problem(n: number, m: number, k: number, seed: number): { at: Float64Array; y: Float64Array } {
  const rng = new Random(seed);
  const at = new Float64Array(n * m);
  for (let i = 0; i < at.length; i++) at[i] = Math.max(0, rng.normal(20, 60));
  const y = new Float64Array(m * k);
  for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-1, 1);
  return { at, y };
}

describe('lstsqL2', () => {
  it.each([
    ['primal (m >= n)', 13, 40],
    ['dual (m < n)', 41, 17],
    ['primal, large enough for the blocked kernels', 61, 203],
    ['dual, large enough for the blocked kernels', 97, 45],
    ['primal over several 512-column panels', 40, 1700],
  ])('%s matches a direct solve', (_name, n, m) => {
    const k = 3;
    const { at, y } = problem(n, m, k, n * 100 + m);
    const res = lstsqL2(at, n, m, y, k, 0.1);
    const want = direct(at, n, m, y, k, 0.1);
    expect(res.form).toBe(m >= n ? 'primal' : 'dual');
    let maxErr = 0;
    let maxVal = 0;
    for (let i = 0; i < want.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(res.decoders[i]! - want[i]!));
      maxVal = Math.max(maxVal, Math.abs(want[i]!));
    }
    expect(maxErr / maxVal).toBeLessThan(1e-9);
    expect(res.rmsError).toBeGreaterThan(0);
  });

  it('the wasm SIMD kernels are available here and agree with the TypeScript loops', () => {
    expect(wasmKernels()).not.toBeNull();
    for (const [n, m] of [[61, 203], [97, 45], [130, 131], [1600, 30], [37, 1601]] as const) {
      const { at, y } = problem(n, m, 2, n + m);
      const fast = lstsqL2(at, n, m, y, 2, 0.1).decoders;
      disableWasmKernels(true);
      try {
        const slow = lstsqL2(at, n, m, y, 2, 0.1).decoders;
        let maxErr = 0;
        let maxVal = 0;
        for (let i = 0; i < fast.length; i++) {
          maxErr = Math.max(maxErr, Math.abs(fast[i]! - slow[i]!));
          maxVal = Math.max(maxVal, Math.abs(slow[i]!));
        }
        expect(maxErr / maxVal).toBeLessThan(1e-10);
      } finally {
        disableWasmKernels(false);
      }
    }
  });

  it('Cholesky factor reproduces the matrix and solves it', () => {
    const r = 7;
    const rng = new Random(3);
    const b = Array.from({ length: r * r }, () => rng.normal());
    const g = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
      let s = i === j ? 1 : 0;
      for (let q = 0; q < r; q++) s += b[i * r + q]! * b[j * r + q]!;
      g[i * r + j] = s;
    }
    const l = g.slice();
    cholesky(l, r);
    for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q <= j; q++) s += l[i * r + q]! * l[j * r + q]!;
      expect(s).toBeCloseTo(g[i * r + j]!, 10);
    }
    const x = Float64Array.from({ length: r }, (_, i) => i - 3);
    const rhs = new Float64Array(r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) rhs[i] = rhs[i]! + g[i * r + j]! * x[j]!;
    choleskySolve(l, r, rhs, 1);
    for (let i = 0; i < r; i++) expect(rhs[i]).toBeCloseTo(x[i]!, 9);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });
});

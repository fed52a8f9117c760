/**
 * LstsqL2 by preconditioned conjugate gradients on the normal equations, for ensembles whose
 * Gram matrix would be too large to form and factor (Nengo's default of 2 n evaluation
 * points at 10,000 neurons: a 10,000 x 10,000 Gram matrix is 800 MB and 1e12 multiply-adds).
 *
 * Solves (A^T A + lambda I) D = A^T Y column by column (all k columns advance together, so one
 * pass over A serves them all), never forming A^T A: each iteration is A p then A^T (A p),
 * two streaming passes over the non-zero part of each neuron's activities. Rectified tuning
 * curves are zero outside one contiguous range of sorted 1-D eval points, so a pass touches
 * about half of A there. The preconditioner is the diagonal of A^T A + lambda I (Jacobi).
 *
 * Convergence is fast because the spectrum of A^T A decays quickly (tuning curves are smooth,
 * so A has few large singular values) and lambda = m (0.1 max A)^2 lifts the small ones: the
 * relative residual falls below `tol` in tens of iterations (measured in solver-cg.test.ts and
 * docs/nef.md), and the decoders then match the Cholesky solution to that precision.
 */

export interface CgResult {
  /** n x k, row-major. */
  decoders: Float64Array;
  iterations: number;
  /** Largest relative residual |b - M d| / |b| over the k columns at the end. */
  residual: number;
}

/**
 * @param at activities, neuron-major: n rows of m eval points (neuron i at i * m + p)
 * @param lo first non-zero eval point of each neuron's row
 * @param hi one past the last non-zero eval point
 * @param y targets, point-major: m rows of k values
 */
export function lstsqL2Cg(
  at: Float64Array,
  n: number,
  m: number,
  lo: Int32Array,
  hi: Int32Array,
  y: Float64Array,
  k: number,
  lambda: number,
  opts: { tol?: number; maxIterations?: number; initial?: Float64Array } = {},
): CgResult {
  const tol = opts.tol ?? 1e-10;
  const maxIt = opts.maxIterations ?? 1000;
  // b = A^T Y and the Jacobi preconditioner diag(A^T A) + lambda
  const b = new Float64Array(n * k);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    let s = 0;
    for (let p = lo[i]!; p < hi[i]!; p++) {
      const a = at[row + p]!;
      s += a * a;
      for (let c = 0; c < k; c++) b[i * k + c] = b[i * k + c]! + a * y[p * k + c]!;
    }
    diag[i] = s + lambda;
  }
  const d = opts.initial ? Float64Array.from(opts.initial) : new Float64Array(n * k);
  const r = Float64Array.from(b);
  if (opts.initial) {
    // r = b - M d0
    const md = applyNormal(at, n, m, lo, hi, k, lambda, d, new Float64Array(m * k), new Float64Array(n * k));
    for (let j = 0; j < n * k; j++) r[j] = r[j]! - md[j]!;
  }
  const z = new Float64Array(n * k);
  const p = new Float64Array(n * k);
  const q = new Float64Array(n * k);
  const u = new Float64Array(m * k);
  const rz = new Float64Array(k);
  const bNorm = new Float64Array(k);
  const done = new Uint8Array(k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      const v = r[i * k + c]! / diag[i]!;
      z[i * k + c] = v;
      p[i * k + c] = v;
      rz[c] = rz[c]! + r[i * k + c]! * v;
      bNorm[c] = bNorm[c]! + b[i * k + c]! * b[i * k + c]!;
    }
  for (let c = 0; c < k; c++) {
    bNorm[c] = Math.sqrt(bNorm[c]!);
    if (bNorm[c] === 0) done[c] = 1;
  }
  let it = 0;
  let worst = 0;
  const pq = new Float64Array(k);
  const rr = new Float64Array(k);
  const rzNew = new Float64Array(k);
  for (; it < maxIt; it++) {
    if (done.every((x) => x === 1)) break;
    applyNormal(at, n, m, lo, hi, k, lambda, p, u, q);
    pq.fill(0);
    for (let j = 0; j < n * k; j++) pq[j % k] = pq[j % k]! + p[j]! * q[j]!;
    rr.fill(0);
    rzNew.fill(0);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        if (done[c]) continue;
        const j = i * k + c;
        const alpha = rz[c]! / pq[c]!;
        d[j] = d[j]! + alpha * p[j]!;
        r[j] = r[j]! - alpha * q[j]!;
        const zj = r[j]! / diag[i]!;
        z[j] = zj;
        rr[c] = rr[c]! + r[j]! * r[j]!;
        rzNew[c] = rzNew[c]! + r[j]! * zj;
      }
    worst = 0;
    for (let c = 0; c < k; c++) {
      if (done[c]) continue;
      const rel = Math.sqrt(rr[c]!) / bNorm[c]!;
      worst = Math.max(worst, rel);
      if (rel < tol) done[c] = 1;
    }
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        if (done[c]) continue;
        const j = i * k + c;
        p[j] = z[j]! + (rzNew[c]! / rz[c]!) * p[j]!;
      }
    rz.set(rzNew);
  }
  return { decoders: d, iterations: it, residual: worst };
}

/** q = A^T (A p) + lambda p, with u (m x k) as scratch; returns q. */
function applyNormal(at: Float64Array, n: number, m: number, lo: Int32Array, hi: Int32Array, k: number, lambda: number, p: Float64Array, u: Float64Array, q: Float64Array): Float64Array {
  u.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const hiI = hi[i]!;
    if (k === 1) {
      const pi = p[i]!;
      if (pi === 0) continue;
      for (let pt = lo[i]!; pt < hiI; pt++) u[pt] = u[pt]! + at[row + pt]! * pi;
    } else {
      for (let pt = lo[i]!; pt < hiI; pt++) {
        const a = at[row + pt]!;
        for (let c = 0; c < k; c++) u[pt * k + c] = u[pt * k + c]! + a * p[i * k + c]!;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const hiI = hi[i]!;
    if (k === 1) {
      let s = 0;
      for (let pt = lo[i]!; pt < hiI; pt++) s += at[row + pt]! * u[pt]!;
      q[i] = s + lambda * p[i]!;
    } else {
      for (let c = 0; c < k; c++) q[i * k + c] = lambda * p[i * k + c]!;
      for (let pt = lo[i]!; pt < hiI; pt++) {
        const a = at[row + pt]!;
        for (let c = 0; c < k; c++) q[i * k + c] = q[i * k + c]! + a * u[pt * k + c]!;
      }
    }
  }
  return q;
}

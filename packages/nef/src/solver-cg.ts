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
  opts: { tol?: number; maxIterations?: number; initial?: Float64Array; precondition?: Preconditioner } = {},
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
  const pre = opts.precondition ?? jacobi(diag, k);
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
  pre(r, z);
  p.set(z);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      rz[c] = rz[c]! + r[i * k + c]! * z[i * k + c]!;
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
        rr[c] = rr[c]! + r[j]! * r[j]!;
      }
    pre(r, z);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        if (done[c]) continue;
        const j = i * k + c;
        rzNew[c] = rzNew[c]! + r[j]! * z[j]!;
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

/** z = P^-1 r for the n x k residual r. */
export type Preconditioner = (r: Float64Array, z: Float64Array) => void;

function jacobi(diag: Float64Array, k: number): Preconditioner {
  return (r, z) => {
    for (let j = 0; j < r.length; j++) z[j] = r[j]! / diag[Math.floor(j / k)]!;
  };
}

/**
 * The normal matrix with A^T A replaced by its estimate from an evenly spaced subset S of the
 * eval points, s A_S^T A_S with s = m / |S| (both are quadratures of the same integral over the
 * represented space, so they share the large eigenvalues that slow CG down):
 *   P = lambda I + s A_S^T A_S,  P^-1 v = (v - s A_S^T K^-1 A_S v) / lambda,  K = lambda I + s A_S A_S^T
 * (Woodbury). K is |S| x |S| and factored once; applying P^-1 costs two passes over A_S, a
 * small fraction of one CG iteration. Returns null if K cannot be factored.
 */
export function subsetPreconditioner(at: Float64Array, n: number, m: number, lo: Int32Array, hi: Int32Array, k: number, lambda: number, step: number): Preconditioner {
  const ms = Math.floor(m / step);
  const s = m / ms;
  // sub: neuron-major n x ms, with each neuron's non-zero range in subset coordinates
  const sub = new Float64Array(n * ms);
  const slo = new Int32Array(n);
  const shi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    slo[i] = Math.ceil(lo[i]! / step);
    shi[i] = Math.min(ms, Math.ceil(hi[i]! / step));
    for (let q = slo[i]!; q < shi[i]!; q++) sub[i * ms + q] = at[i * m + q * step]!;
  }
  // K = lambda I + s sum_i sub_i^T sub_i (lower triangle), then its Cholesky factor in place
  const K = new Float64Array(ms * ms);
  for (let i = 0; i < n; i++) {
    const row = i * ms;
    const a = slo[i]!;
    const b = shi[i]!;
    for (let p = a; p < b; p++) {
      const v = s * sub[row + p]!;
      if (v === 0) continue;
      const kp = p * ms;
      for (let q = a; q <= p; q++) K[kp + q] = K[kp + q]! + v * sub[row + q]!;
    }
  }
  for (let p = 0; p < ms; p++) K[p * ms + p] = K[p * ms + p]! + lambda;
  choleskyLower(K, ms);
  const w = new Float64Array(ms * k);
  return (r, z) => {
    // w = A_S r, then K^-1 w, then z = (r - s A_S^T w) / lambda
    w.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * ms;
      for (let c = 0; c < k; c++) {
        const ri = r[i * k + c]!;
        if (ri === 0) continue;
        for (let q = slo[i]!; q < shi[i]!; q++) w[q * k + c] = w[q * k + c]! + sub[row + q]! * ri;
      }
    }
    solveLower(K, ms, w, k);
    for (let i = 0; i < n; i++) {
      const row = i * ms;
      for (let c = 0; c < k; c++) {
        let acc = 0;
        for (let q = slo[i]!; q < shi[i]!; q++) acc += sub[row + q]! * w[q * k + c]!;
        z[i * k + c] = (r[i * k + c]! - s * acc) / lambda;
      }
    }
  };
}

/** In-place Cholesky of the lower triangle of an n x n SPD matrix (row-major). */
function choleskyLower(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sum = a[ri + j]!;
      for (let q = 0; q < j; q++) sum -= a[ri + q]! * a[rj + q]!;
      if (i === j) {
        if (!(sum > 0)) throw new Error('subsetPreconditioner: the subset system is not positive definite');
        a[ri + i] = Math.sqrt(sum);
      } else a[ri + j] = sum / a[rj + j]!;
    }
  }
}

/** Solves L L^T x = b in place for the k columns of b (n x k). */
function solveLower(l: Float64Array, n: number, b: Float64Array, k: number): void {
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * k + c]!;
      for (let q = 0; q < i; q++) s -= l[i * n + q]! * b[q * k + c]!;
      b[i * k + c] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * k + c]!;
      for (let q = i + 1; q < n; q++) s -= l[q * n + i]! * b[q * k + c]!;
      b[i * k + c] = s / l[i * n + i]!;
    }
  }
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

import { releaseWorkspace, workspace, type Workspace } from './kernels.js';
import { lstsqL2Cg, subsetPreconditioner } from './solver-cg.js';

/**
 * Decoder solving: Nengo's LstsqL2 (regularised least squares through a Cholesky factor).
 *
 * Given activities A (m eval points x n neurons, Hz) and targets Y (m x k), find decoders
 * D (n x k) minimising |A D - Y|^2 + m sigma^2 |D|^2 with sigma = reg * max(A):
 *   primal (m >= n): (A^T A + m sigma^2 I) D = A^T Y            (an n x n system)
 *   dual   (m <  n): (A A^T + m sigma^2 I) X = Y,  D = A^T X    (an m x m system, same D)
 * Nengo picks between the two forms the same way. All k targets of one ensemble (every
 * outgoing connection and decoded probe) share one Gram matrix and one factorisation.
 *
 * Speed: the Gram matrix dominates (r^2 c / 2 multiply-adds for r = min(m, n), c = max).
 * Activities are rectified, so each row is zero outside a range of columns; for 1-D
 * ensembles with sorted evaluation points every row's non-zeros are one contiguous run
 * (a neuron fires for x above or below its intercept). We order rows so that neighbours
 * have similar runs and multiply only where the runs of a 4 x 4 block overlap: an exact
 * skip of zero products, about 5x fewer operations in 1-D and no loss in higher dimensions.
 */

export interface LstsqL2Result {
  /** n x k, row-major (neuron i's decoder for target c at i * k + c). */
  decoders: Float64Array;
  /** 'primal' solved an n x n system, 'dual' an m x m one, 'cg' iterated without forming either. */
  form: 'primal' | 'dual' | 'cg';
  /** CG iterations (0 for the direct forms). */
  iterations: number;
  /** RMS of A D - Y over all targets (the decoding error at the eval points). */
  rmsError: number;
}

/**
 * @param at activities, neuron-major: n rows of m eval points (neuron i at i * m + p)
 * @param y targets, point-major: m rows of k values
 */
export function lstsqL2(at: Float64Array, n: number, m: number, y: Float64Array, k: number, reg: number): LstsqL2Result {
  if (at.length !== n * m) throw new Error(`lstsqL2: expected ${n}x${m} activities, got ${at.length} values`);
  if (y.length !== m * k) throw new Error(`lstsqL2: expected ${m}x${k} targets, got ${y.length} values`);
  let maxA = 0;
  for (let i = 0; i < at.length; i++) if (at[i]! > maxA) maxA = at[i]!;
  const sigma = reg * maxA;
  const lambda = m * sigma * sigma;
  if (Math.min(m, n) > CG_ABOVE) return solveCg(at, n, m, y, k, lambda);
  let decoders: Float64Array;
  try {
    decoders = m >= n ? solvePrimal(at, n, m, y, k, lambda) : solveDual(at, n, m, y, k, lambda);
  } finally {
    releaseWorkspace();
  }
  return { decoders, form: m >= n ? 'primal' : 'dual', iterations: 0, rmsError: residualRms(at, n, m, y, k, decoders) };
}

/**
 * Above this system size (min(m, n)) the decoders are found by conjugate gradients: a direct
 * solve costs r^2 c / 2 + r^3 / 3 multiply-adds (1e12 at Nengo's 20,000 points for 10,000
 * neurons, and an 800 MB Gram matrix), CG about 40 x 2 passes over the non-zero activities.
 */
export const CG_ABOVE = 3000;

/** Relative residual at which CG stops; the decoding error then agrees with Cholesky's to 4 digits. */
export const CG_TOL = 1e-8;

/**
 * CG preconditioned with the normal matrix estimated from an evenly spaced subset of the eval
 * points (every s-th sorted point, about 750 of them: Nengo's base count for 1-D), which is
 * also the start: d0 = P^-1 A^T Y is the subset's own LstsqL2 solution.
 */
function solveCg(at: Float64Array, n: number, m: number, y: Float64Array, k: number, lambda: number): LstsqL2Result {
  const { lo, hi } = rowRanges(at, n, m);
  const precondition = subsetPreconditioner(at, n, m, lo, hi, k, lambda, Math.ceil(m / CG_SUBSET_POINTS));
  const res = lstsqL2Cg(at, n, m, lo, hi, y, k, lambda, { tol: CG_TOL, precondition });
  return { decoders: res.decoders, form: 'cg', iterations: res.iterations, rmsError: residualRms(at, n, m, y, k, res.decoders) };
}

/** Size of the point subset behind the CG preconditioner. */
export const CG_SUBSET_POINTS = 750;

function solvePrimal(at: Float64Array, n: number, m: number, y: Float64Array, k: number, lambda: number): Float64Array {
  const { lo, hi } = rowRanges(at, n, m);
  // neurons ordered by their active range so that 4 x 4 blocks share ranges
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => lo[a]! - lo[b]! || hi[a]! - hi[b]!);
  const r = padTo4(n);
  const ws = workspace([r * m, r * r, 8, r]);
  const rows = ws.arrays[0]!;
  const rlo = new Int32Array(r).fill(m);
  const rhi = new Int32Array(r);
  for (let i = 0; i < n; i++) {
    const src = perm[i]!;
    rows.set(at.subarray(src * m, src * m + m), i * m);
    rlo[i] = lo[src]!;
    rhi[i] = hi[src]!;
  }
  const g = gram(rows, r, m, rlo, rhi, ws);
  for (let i = 0; i < r; i++) g[i * r + i] = g[i * r + i]! + (i < n ? lambda : 1);
  // b = A^T Y, row i of the permuted neurons
  const b = new Float64Array(r * k);
  for (let i = 0; i < n; i++) {
    for (let p = rlo[i]!; p < rhi[i]!; p++) {
      const a = rows[i * m + p]!;
      for (let c = 0; c < k; c++) b[i * k + c] = b[i * k + c]! + a * y[p * k + c]!;
    }
  }
  cholesky(g, r, ws);
  choleskySolve(g, r, b, k);
  const d = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) d[perm[i]! * k + c] = b[i * k + c]!;
  return d;
}

function solveDual(at: Float64Array, n: number, m: number, y: Float64Array, k: number, lambda: number): Float64Array {
  const { lo, hi } = rowRanges(at, n, m);
  // Columns (neurons) ordered so that each eval point's active neurons are contiguous in 1-D:
  // neurons active on a prefix of the (sorted) points by where they stop, then those active
  // on a suffix by where they start.
  const key = (i: number): number => (lo[i] === 0 ? hi[i]! - m : lo[i]!);
  const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || lo[a]! - lo[b]! || hi[a]! - hi[b]!);
  const r = padTo4(m);
  const ws = workspace([r * n, r * r, 8, r]);
  const rows = ws.arrays[0]!;
  // transpose in 64 x 64 tiles: a plain column loop writes every element to a new cache line
  const T = 64;
  for (let c0 = 0; c0 < n; c0 += T) {
    const c1 = Math.min(n, c0 + T);
    for (let p0 = 0; p0 < m; p0 += T) {
      const p1 = Math.min(m, p0 + T);
      for (let col = c0; col < c1; col++) {
        const src = perm[col]! * m;
        for (let p = p0; p < p1; p++) rows[p * n + col] = at[src + p]!;
      }
    }
  }
  const { lo: rlo, hi: rhi } = rowRanges(rows, r, n);
  const g = gram(rows, r, n, rlo, rhi, ws);
  for (let i = 0; i < r; i++) g[i * r + i] = g[i * r + i]! + (i < m ? lambda : 1);
  const x = new Float64Array(r * k);
  x.set(y);
  cholesky(g, r, ws);
  choleskySolve(g, r, x, k);
  // D = A^T X
  const d = new Float64Array(n * k);
  for (let p = 0; p < m; p++) {
    for (let col = rlo[p]!; col < rhi[p]!; col++) {
      const a = rows[p * n + col]!;
      if (a === 0) continue;
      const dst = perm[col]! * k;
      for (let c = 0; c < k; c++) d[dst + c] = d[dst + c]! + a * x[p * k + c]!;
    }
  }
  return d;
}

function padTo4(r: number): number {
  return (r + 3) & ~3;
}

/** For each row, the first non-zero column and one past the last (lo = cols, hi = 0 if none). */
export function rowRanges(a: Float64Array, rows: number, cols: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(rows).fill(cols);
  const hi = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    if (base >= a.length) break;
    let first = 0;
    while (first < cols && a[base + first] === 0) first++;
    if (first === cols) continue;
    let last = cols;
    while (a[base + last - 1] === 0) last--;
    lo[i] = first;
    hi[i] = last;
  }
  return { lo, hi };
}

/**
 * G = R R^T for R (r x c, r a multiple of 4), both triangles filled. 4 x 4 register blocks:
 * 8 loads feed 16 multiply-adds, and each block only runs over the overlap of its rows' ranges.
 */
export function gram(rm: Float64Array, r: number, c: number, lo: Int32Array, hi: Int32Array, ws?: Workspace): Float64Array {
  if (r % 4 !== 0) throw new Error(`gram: expected a row count divisible by 4, got ${r}`);
  if (ws?.kernels) return gramWasm(r, c, lo, hi, ws);
  const g = ws?.arrays[1] ?? new Float64Array(r * r);
  const blocks = r / 4;
  const blo = new Int32Array(blocks);
  const bhi = new Int32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    blo[b] = Math.min(lo[4 * b]!, lo[4 * b + 1]!, lo[4 * b + 2]!, lo[4 * b + 3]!);
    bhi[b] = Math.max(hi[4 * b]!, hi[4 * b + 1]!, hi[4 * b + 2]!, hi[4 * b + 3]!);
  }
  for (let bi = 0; bi < blocks; bi++) {
    const i0 = 4 * bi * c;
    const i1 = i0 + c;
    const i2 = i1 + c;
    const i3 = i2 + c;
    for (let bj = 0; bj <= bi; bj++) {
      const from = Math.max(blo[bi]!, blo[bj]!);
      const to = Math.min(bhi[bi]!, bhi[bj]!);
      if (from >= to) continue;
      const j0 = 4 * bj * c;
      const j1 = j0 + c;
      const j2 = j1 + c;
      const j3 = j2 + c;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = from; p < to; p++) {
        const a0 = rm[i0 + p]!, a1 = rm[i1 + p]!, a2 = rm[i2 + p]!, a3 = rm[i3 + p]!;
        const b0 = rm[j0 + p]!, b1 = rm[j1 + p]!, b2 = rm[j2 + p]!, b3 = rm[j3 + p]!;
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      const ri = 4 * bi;
      const rj = 4 * bj;
      const put = (i: number, j: number, v: number): void => {
        g[(ri + i) * r + rj + j] = v;
        g[(rj + j) * r + ri + i] = v;
      };
      put(0, 0, s00); put(0, 1, s01); put(0, 2, s02); put(0, 3, s03);
      put(1, 0, s10); put(1, 1, s11); put(1, 2, s12); put(1, 3, s13);
      put(2, 0, s20); put(2, 1, s21); put(2, 2, s22); put(2, 3, s23);
      put(3, 0, s30); put(3, 1, s31); put(3, 2, s32); put(3, 3, s33);
    }
  }
  return g;
}

/**
 * The Gram matrix with the wasm kernels; rows are ws.arrays[0], G goes to ws.arrays[1],
 * ws.arrays[3] holds the pair ranges as int32. Tiled for the cache: 32 x 32 row tiles over
 * 512-column panels, so the rows a tile reads (2 x 32 x 4 KiB) stay in L2 while every 4 x 2
 * block of the tile uses them. Untiled, each 4-row block streams all earlier rows from
 * memory and the kernel waits on bandwidth. One wasm call computes a whole strip of a tile.
 */
function gramWasm(r: number, c: number, lo: Int32Array, hi: Int32Array, ws: Workspace): Float64Array {
  const k = ws.kernels!;
  const g = ws.arrays[1]!;
  const rowsPtr = ws.ptrs[0]!;
  const gPtr = ws.ptrs[1]!;
  const tmpPtr = ws.ptrs[2]!;
  const rangePtr = ws.ptrs[3]!;
  const stride = c * 8;
  const TILE = 32;
  const PANEL = c <= 1536 ? c : 512;
  // ranges per 4-row block (i side, here) and per 2-row pair (j side, in wasm memory)
  const lo4 = new Int32Array(r / 4);
  const hi4 = new Int32Array(r / 4);
  for (let i = 0; i < r; i += 4) {
    lo4[i / 4] = Math.min(lo[i]!, lo[i + 1]!, lo[i + 2]!, lo[i + 3]!);
    hi4[i / 4] = Math.max(hi[i]!, hi[i + 1]!, hi[i + 2]!, hi[i + 3]!);
  }
  const pairs = new Int32Array(ws.arrays[3]!.buffer, rangePtr, r);
  const lo2Ptr = rangePtr;
  const hi2Ptr = rangePtr + (r / 2) * 4;
  for (let j = 0; j < r; j += 2) {
    pairs[j / 2] = Math.min(lo[j]!, lo[j + 1]!);
    pairs[r / 2 + j / 2] = Math.max(hi[j]!, hi[j + 1]!);
  }
  for (let p0 = 0; p0 < c; p0 += PANEL) {
    const p1 = Math.min(c, p0 + PANEL);
    for (let ti = 0; ti < r; ti += TILE) {
      const tiEnd = Math.min(r, ti + TILE);
      for (let tj = 0; tj <= ti; tj += TILE) {
        for (let i = ti; i < tiEnd; i += 4) {
          const ilo = Math.max(p0, lo4[i / 4]!);
          const ihi = Math.min(p1, hi4[i / 4]!);
          if (ilo >= ihi) continue;
          k.gramStrip(rowsPtr, stride, i, tj, Math.min(tj + TILE, i + 4), ilo, ihi, lo2Ptr, hi2Ptr, gPtr, r * 8, tmpPtr);
        }
      }
    }
  }
  // mirror the lower triangle (the Cholesky reads only the lower one; callers may read both)
  for (let i = 0; i < r; i++) for (let j = i + 1; j < r; j++) g[i * r + j] = g[j * r + i]!;
  return g;
}

/**
 * In-place Cholesky G = L L^T of a symmetric positive definite r x r matrix (row-major);
 * L is left in the lower triangle (the strict upper triangle is left as it was). Row by row
 * (Cholesky-Banachiewicz), several rows at a time (8 with the wasm kernel, 4 in plain
 * TypeScript) so that each earlier row L_j, read from memory once, serves several dot
 * products: the factorisation is memory-bound otherwise.
 * Throws if a pivot is not positive (cannot happen with reg > 0 and finite activities).
 */
export function cholesky(g: Float64Array, r: number, ws?: Workspace): void {
  const k = ws?.kernels ?? null;
  if (k !== null && ws!.arrays[1] !== g) throw new Error('cholesky: with kernels, g must be the workspace matrix');
  const gPtr = ws?.ptrs[1] ?? 0;
  const outPtr = ws?.ptrs[2] ?? 0;
  const h = k !== null ? 8 : 4;
  const acc = new Float64Array(8);
  for (let i0 = 0; i0 < r; i0 += h) {
    const rows = Math.min(h, r - i0);
    const b0 = i0 * r;
    // columns j < i0: the dot products of these rows with row j share its loads
    if (k !== null && rows === 8) k.cholStrip8(gPtr, r * 8, i0, outPtr);
    else for (let j = 0; j < i0; j++) {
      const bj = j * r;
      if (rows === 4) {
        const b1 = b0 + r;
        const b2 = b1 + r;
        const b3 = b2 + r;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let q = 0; q < j; q++) {
          const l = g[bj + q]!;
          s0 += g[b0 + q]! * l;
          s1 += g[b1 + q]! * l;
          s2 += g[b2 + q]! * l;
          s3 += g[b3 + q]! * l;
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
      } else {
        for (let a = 0; a < rows; a++) {
          const ba = b0 + a * r;
          let s = 0;
          for (let q = 0; q < j; q++) s += g[ba + q]! * g[bj + q]!;
          acc[a] = s;
        }
      }
      const inv = 1 / g[bj + j]!;
      for (let a = 0; a < rows; a++) g[b0 + a * r + j] = (g[b0 + a * r + j]! - acc[a]!) * inv;
    }
    // the diagonal block, one entry at a time
    for (let a = 0; a < rows; a++) {
      const ba = (i0 + a) * r;
      for (let j = i0; j <= i0 + a; j++) {
        const bj = j * r;
        let s = g[ba + j]!;
        for (let q = 0; q < j; q++) s -= g[ba + q]! * g[bj + q]!;
        if (j < i0 + a) {
          g[ba + j] = s / g[bj + j]!;
        } else {
          if (!(s > 0)) throw new Error(`cholesky: matrix is not positive definite (pivot ${j} = ${s})`);
          g[ba + j] = Math.sqrt(s);
        }
      }
    }
  }
}

/** Solves L L^T X = B in place for k right-hand sides (B is r x k, row-major). */
export function choleskySolve(l: Float64Array, r: number, b: Float64Array, k: number): void {
  for (let i = 0; i < r; i++) {
    const ri = i * r;
    for (let c = 0; c < k; c++) {
      let s = b[i * k + c]!;
      for (let q = 0; q < i; q++) s -= l[ri + q]! * b[q * k + c]!;
      b[i * k + c] = s / l[ri + i]!;
    }
  }
  for (let i = r - 1; i >= 0; i--) {
    for (let c = 0; c < k; c++) {
      let s = b[i * k + c]!;
      for (let q = i + 1; q < r; q++) s -= l[q * r + i]! * b[q * k + c]!;
      b[i * k + c] = s / l[i * r + i]!;
    }
  }
}

function residualRms(at: Float64Array, n: number, m: number, y: Float64Array, k: number, d: Float64Array): number {
  const est = new Float64Array(m * k);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let p = 0; p < m; p++) {
      const a = at[row + p]!;
      if (a === 0) continue;
      for (let c = 0; c < k; c++) est[p * k + c] = est[p * k + c]! + a * d[i * k + c]!;
    }
  }
  let s = 0;
  for (let i = 0; i < est.length; i++) s += (est[i]! - y[i]!) ** 2;
  return Math.sqrt(s / Math.max(1, est.length));
}

import type { Random } from '@snnc/ir';

/**
 * Point sets on and in the unit hypersphere, stored row-major in a Float64Array (n x d).
 *
 * Nengo 4 uses ScatteredHypersphere for both encoders (surface) and evaluation points
 * (ball): a quasi-random R_d sequence mapped onto the sphere by the spherical-coordinate
 * transform, then randomly rotated. We do the same: d = 1 takes the sign (surface) or 2u - 1
 * (ball); d = 2 the angle 2 pi u (surface) or (sqrt(u1), 2 pi u2) (ball, area-preserving);
 * d >= 3 maps d - 1 coordinates through the inverse CDFs of the hyperspherical angles
 * (densities sin^k(phi) on [0, pi], tabulated and inverted numerically) and the last one to
 * a uniform angle, scales ball points by u^(1/d), and applies a random rotation.
 */

/** Roberts' R_d low-discrepancy sequence with a random offset per dimension, in [0, 1)^d. */
export function rdSequence(n: number, d: number, rng: Random): Float64Array {
  // phi_d: the positive root of x^(d+1) = x + 1, by Newton's method
  let phi = 2;
  for (let i = 0; i < 30; i++) phi -= (Math.pow(phi, d + 1) - phi - 1) / ((d + 1) * Math.pow(phi, d) - 1);
  const alpha = new Float64Array(d);
  const offset = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    alpha[j] = Math.pow(1 / phi, j + 1) % 1;
    offset[j] = rng.random();
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = offset[j]! + (i + 1) * alpha[j]!;
      out[i * d + j] = v - Math.floor(v);
    }
  }
  // the sequence is ordered; shuffle the rows so that neuron i does not correlate with i
  shuffleRows(out, n, d, rng);
  return out;
}

function shuffleRows(a: Float64Array, n: number, d: number, rng: Random): void {
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    for (let k = 0; k < d; k++) {
      const t = a[i * d + k]!;
      a[i * d + k] = a[j * d + k]!;
      a[j * d + k] = t;
    }
  }
}

/** n points on the surface of the unit hypersphere in d dimensions. */
export function sphereSurface(n: number, d: number, rng: Random): Float64Array {
  if (d === 1) {
    const u = rdSequence(n, 1, rng);
    for (let i = 0; i < n; i++) u[i] = u[i]! < 0.5 ? -1 : 1;
    return u;
  }
  if (d === 2) {
    const u = rdSequence(n, 1, rng);
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = 2 * Math.PI * u[i]!;
      out[2 * i] = Math.cos(a);
      out[2 * i + 1] = Math.sin(a);
    }
    return out;
  }
  return scattered(n, d, rng, false);
}

/** n points in the unit ball in d dimensions (uniform density). */
export function sphereBall(n: number, d: number, rng: Random): Float64Array {
  if (d === 1) {
    const u = rdSequence(n, 1, rng);
    for (let i = 0; i < n; i++) u[i] = 2 * u[i]! - 1;
    return u;
  }
  if (d === 2) {
    const u = rdSequence(n, 2, rng);
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(u[2 * i]!);
      const a = 2 * Math.PI * u[2 * i + 1]!;
      out[2 * i] = r * Math.cos(a);
      out[2 * i + 1] = r * Math.sin(a);
    }
    return out;
  }
  return scattered(n, d, rng, true);
}

/**
 * d >= 3: an R_d sequence in d - 1 (surface) or d (ball) dimensions through the spherical
 * coordinate transform. Angle i (i < d - 2) has density proportional to sin^(d-2-i) on
 * [0, pi]; the last is uniform on [0, 2 pi); a ball point's radius is u^(1/d).
 */
function scattered(n: number, d: number, rng: Random, ball: boolean): Float64Array {
  const dims = ball ? d : d - 1;
  const u = rdSequence(n, dims, rng);
  const inverse = Array.from({ length: d - 2 }, (_, i) => sinPowerInverseCdf(d - 2 - i));
  const out = new Float64Array(n * d);
  const x = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    let sinProd = 1;
    for (let i = 0; i < d - 2; i++) {
      const phi = inverse[i]!(u[p * dims + i]!);
      x[i] = sinProd * Math.cos(phi);
      sinProd *= Math.sin(phi);
    }
    const theta = 2 * Math.PI * u[p * dims + d - 2]!;
    x[d - 2] = sinProd * Math.cos(theta);
    x[d - 1] = sinProd * Math.sin(theta);
    const r = ball ? Math.pow(u[p * dims + d - 1]!, 1 / d) : 1;
    for (let k = 0; k < d; k++) out[p * d + k] = r * x[k]!;
  }
  return rotate(out, n, d, randomOrthogonal(d, rng));
}

/** The inverse CDF of the density sin^k(phi) / Z on [0, pi], tabulated on 2048 intervals. */
function sinPowerInverseCdf(k: number): (u: number) => number {
  const steps = 2048;
  const cdf = new Float64Array(steps + 1);
  const h = Math.PI / steps;
  // cumulative midpoint rule (the density is smooth; error ~h^2 ~ 2e-6 in phi)
  for (let i = 0; i < steps; i++) cdf[i + 1] = cdf[i]! + Math.pow(Math.sin((i + 0.5) * h), k) * h;
  const total = cdf[steps]!;
  for (let i = 0; i <= steps; i++) cdf[i] = cdf[i]! / total;
  return (u) => {
    let lo = 0;
    let hi = steps;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! <= u) lo = mid;
      else hi = mid;
    }
    const span = cdf[hi]! - cdf[lo]!;
    const f = span > 0 ? (u - cdf[lo]!) / span : 0;
    return (lo + f) * h;
  };
}

/** A uniformly random d x d rotation: Gram-Schmidt on Gaussian rows (row-major). */
function randomOrthogonal(d: number, rng: Random): Float64Array {
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    let norm = 0;
    while (norm < 1e-6) {
      for (let k = 0; k < d; k++) q[i * d + k] = rng.normal();
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += q[i * d + k]! * q[j * d + k]!;
        for (let k = 0; k < d; k++) q[i * d + k] = q[i * d + k]! - dot * q[j * d + k]!;
      }
      norm = 0;
      for (let k = 0; k < d; k++) norm += q[i * d + k]! ** 2;
      norm = Math.sqrt(norm);
    }
    for (let k = 0; k < d; k++) q[i * d + k] = q[i * d + k]! / norm;
  }
  return q;
}

/** Rows of `pts` (n x d) times the rotation (d x d). */
function rotate(pts: Float64Array, n: number, d: number, q: Float64Array): Float64Array {
  const out = new Float64Array(n * d);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += pts[p * d + k]! * q[k * d + c]!;
      out[p * d + c] = s;
    }
  }
  return out;
}

/** Each of n rows drawn uniformly from `vectors` (each normalised to unit length). */
export function choiceRows(n: number, d: number, vectors: readonly (readonly number[])[], rng: Random): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const v = vectors[rng.int(vectors.length)]!;
    let norm = 0;
    for (let k = 0; k < d; k++) norm += (v[k] ?? 0) ** 2;
    const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < d; k++) out[i * d + k] = (v[k] ?? 0) * s;
  }
  return out;
}

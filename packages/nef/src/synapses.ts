import { assertNever, synapseProblem, type Synapse } from '@snnc/ir';

/**
 * Linear synapses, discretised as Nengo 4.1 does: the transfer function num(s) / den(s) is
 * put in controllable canonical state-space form (SciPy's `tf2ss`), then discretised with a
 * zero-order hold (`cont2discrete(..., method="zoh")`). One step is
 *   X[n] = A X[n-1] + B u[n],  y[n] = C X[n] + D u[n],
 * so the output already contains this step's input; the simulator's targets read it one step
 * later (Nengo's update ordering), which is the one-step delay of every filtered connection.
 */
export interface DiscreteFilter {
  /** Number of state variables (0: a pure gain). */
  order: number;
  /** order x order, row-major. */
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  d: number;
}

/** Transfer-function coefficients (highest power first) of a synapse, in seconds. */
export function transferFunction(s: Synapse): { num: number[]; den: number[] } {
  switch (s.kind) {
    case 'lowpass':
      return { num: [1], den: [s.tau, 1] };
    case 'alpha':
      return { num: [1], den: [s.tau * s.tau, 2 * s.tau, 1] };
    case 'linear_filter':
      return { num: s.num, den: s.den };
    default:
      return assertNever(s);
  }
}

function trimLeadingZeros(p: number[]): number[] {
  let i = 0;
  while (i < p.length - 1 && p[i] === 0) i++;
  return p.length === 0 || (p.length === i + 1 && p[i] === 0) ? [] : p.slice(i);
}

/** Lowpass coefficient a = exp(-dt / tau) (zero-order hold); 0 for tau = 0. */
export function lowpassDecay(tau: number, dt: number): number {
  return tau > 0 ? Math.exp(-dt / tau) : 0;
}

/** The discrete state-space system of a synapse for step `dt` (seconds). */
export function discretize(s: Synapse, dt: number): DiscreteFilter {
  if (s.kind === 'lowpass') {
    // scaled so that C = 1: y[n] = a y[n-1] + (1 - a) u[n], bit-identical to the 1st-order form
    const a = lowpassDecay(s.tau, dt);
    return { order: 1, a: Float64Array.of(a), b: Float64Array.of(1 - a), c: Float64Array.of(1), d: 0 };
  }
  const problem = synapseProblem(s);
  if (problem !== null) throw new Error(`discretize: ${problem}`);
  const tf = transferFunction(s);
  const den = trimLeadingZeros(tf.den);
  const num0 = trimLeadingZeros(tf.num);
  const k = den.length - 1;
  const lead = den[0]!;
  const dn = den.map((v) => v / lead);
  const nn = num0.map((v) => v / lead);
  const num = [...Array<number>(k + 1 - nn.length).fill(0), ...nn];
  const d = num[0]!;
  if (k === 0) return { order: 0, a: new Float64Array(0), b: new Float64Array(0), c: new Float64Array(0), d };
  // controllable canonical form (scipy.signal.tf2ss)
  const A = new Float64Array(k * k);
  for (let j = 0; j < k; j++) A[j] = -dn[j + 1]!;
  for (let i = 1; i < k; i++) A[i * k + i - 1] = 1;
  const B = new Float64Array(k);
  B[0] = 1;
  const C = new Float64Array(k);
  for (let j = 0; j < k; j++) C[j] = num[j + 1]! - d * dn[j + 1]!;
  // zero-order hold: expm([[A, B], [0, 0]] dt) = [[Ad, Bd], [0, 1]]
  const m = k + 1;
  const M = new Float64Array(m * m);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) M[i * m + j] = A[i * k + j]! * dt;
    M[i * m + k] = B[i]! * dt;
  }
  const E = expm(M, m);
  const ad = new Float64Array(k * k);
  const bd = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) ad[i * k + j] = E[i * m + j]!;
    bd[i] = E[i * m + k]!;
  }
  return { order: k, a: ad, b: bd, c: C, d };
}

/** Matrix exponential of a small n x n matrix: scaling and squaring around a Taylor series. */
export function expm(M: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(M[i * n + j]!);
    norm = Math.max(norm, row);
  }
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -squarings;
  const X = M.map((v) => v * scale);
  // sum_{j <= 18} X^j / j!: the remainder is below 0.5^19 / 19! relative
  let result = identity(n);
  let term = identity(n);
  for (let j = 1; j <= 18; j++) {
    term = matmul(term, X, n).map((v) => v / j);
    result = result.map((v, i) => v + term[i]!);
  }
  for (let s = 0; s < squarings; s++) result = matmul(result, result, n);
  return result;
}

function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const v = a[i * n + k]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + v * b[k * n + j]!;
    }
  return out;
}

/**
 * A synapse applied to a vector of `width` values: `step(u)` advances one step with this
 * step's input and leaves the filtered value in `output`.
 */
export class FilterState {
  readonly output: Float64Array;
  private readonly x: Float64Array;
  private readonly f: DiscreteFilter;
  /** One column's previous state (no allocation per step). */
  private readonly prev: Float64Array;

  constructor(f: DiscreteFilter, width: number) {
    this.f = f;
    this.prev = new Float64Array(f.order);
    this.output = new Float64Array(width);
    this.x = new Float64Array(f.order * width);
  }

  static of(s: Synapse, dt: number, width: number): FilterState {
    return new FilterState(discretize(s, dt), width);
  }

  step(u: ArrayLike<number>): void {
    const { order: k, a, b, c, d } = this.f;
    const y = this.output;
    const w = y.length;
    if (k === 1 && c[0] === 1 && d === 0) {
      const a0 = a[0]!;
      const b0 = b[0]!;
      for (let i = 0; i < w; i++) y[i] = a0 * y[i]! + b0 * u[i]!;
      return;
    }
    const x = this.x;
    for (let i = 0; i < w; i++) {
      const ui = u[i]!;
      // X = A X + B u for column i (state r of value i at x[r * w + i]); then y = C X + D u
      if (k === 1) {
        x[i] = a[0]! * x[i]! + b[0]! * ui;
        y[i] = c[0]! * x[i]! + d * ui;
        continue;
      }
      let yi = d * ui;
      const prev = this.prev;
      for (let r = 0; r < k; r++) prev[r] = x[r * w + i]!;
      for (let r = 0; r < k; r++) {
        let s = b[r]! * ui;
        for (let q = 0; q < k; q++) s += a[r * k + q]! * prev[q]!;
        x[r * w + i] = s;
        yi += c[r]! * s;
      }
      y[i] = yi;
    }
  }

  reset(): void {
    this.output.fill(0);
    this.x.fill(0);
  }
}

import { assertNever, Random, type CompiledExpr, type Signal } from '@snnc/ir';

/**
 * Writes an input's value at time t (s) into `out`. Piecewise follows Nengo's `Piecewise`
 * with zero-order interpolation: the value of the last point whose time is at most
 * t + dt/2 (so a point at 0.2 s is in effect from the step at t = 0.2 s on, despite
 * rounding), and zero before the first point.
 */
export type SignalFn = (t: number, out: Float64Array) => void;

/**
 * Nengo's `WhiteSignal`: per dimension, complex Gaussian Fourier coefficients with standard
 * deviation rms / sqrt(2) for the period / (2 dt) frequencies k / period, zero above `high`
 * (and the constant term), rescaled so the power stays rms^2; the signal is their inverse real
 * FFT sampled at t = n dt and repeats every period. Only the frequencies at or below `high`
 * are non-zero, so each sample is a short sum of cosines (period x high terms), precomputed.
 */
function whiteSignal(s: Extract<Signal, { kind: 'white_signal' }>, dims: number, dt: number, seed: number): SignalFn {
  const rng = new Random(s.seed ?? seed);
  const nCoef = Math.ceil(s.period / dt / 2);
  const len = 2 * nCoef;
  const sigma = s.rms * Math.SQRT1_2;
  const kept = Math.min(nCoef, Math.floor(s.high * len * dt + 1e-9));
  const cut = nCoef - kept;
  const correction = Math.sqrt(1 - cut / nCoef);
  const scale = (correction > 0 ? 1 / correction : 1) * Math.sqrt(len);
  const samples = Array.from({ length: dims }, () => new Float64Array(len));
  for (let d = 0; d < dims; d++) {
    const re = new Float64Array(kept + 1);
    const im = new Float64Array(kept + 1);
    // coefficient k (1..kept) of frequency k / (len dt); k = 0 is zero; the Nyquist term is real
    for (let k = 1; k <= kept; k++) {
      im[k] = rng.normal(0, sigma) * scale;
      re[k] = rng.normal(0, sigma) * scale;
      if (k === nCoef) im[k] = 0;
    }
    const out = samples[d]!;
    // the inverse real FFT as a sum of cosines, each advanced by rotating its phasor one
    // sample at a time (no trigonometry per sample; the rounding drift stays near 1e-12)
    for (let k = 1; k <= kept; k++) {
      const both = (k === nCoef ? 1 : 2) / len;
      const a = both * re[k]!;
      const b = both * im[k]!;
      const c = Math.cos((2 * Math.PI * k) / len);
      const sn = Math.sin((2 * Math.PI * k) / len);
      let cr = 1;
      let ci = 0;
      for (let n = 0; n < len; n++) {
        out[n] = out[n]! + a * cr - b * ci;
        const nr = cr * c - ci * sn;
        ci = cr * sn + ci * c;
        cr = nr;
      }
    }
  }
  return (t, out) => {
    const i = Math.round(t / dt) % len;
    for (let d = 0; d < dims; d++) out[d] = samples[d]![i]!;
  };
}

export function makeSignal(signal: Signal, dims: number, dt: number, exprs: CompiledExpr[] | null, noiseSeed: number): SignalFn {
  switch (signal.kind) {
    case 'constant': {
      const v = Float64Array.from(signal.value);
      return (_t, out) => out.set(v);
    }
    case 'piecewise': {
      const times = signal.points.map((p) => p.t);
      const values = signal.points.map((p) => Float64Array.from(p.value));
      const half = dt / 2;
      return (t, out) => {
        // points are few and sorted; a linear scan from the end finds the active one
        let i = times.length - 1;
        while (i >= 0 && times[i]! > t + half) i--;
        if (i < 0) out.fill(0);
        else out.set(values[i]!);
      };
    }
    case 'expr': {
      if (exprs === null || exprs.length !== dims) throw new Error(`makeSignal: expected ${dims} compiled expressions`);
      const env = { t: 0, x: new Float64Array(0), vars: {} };
      return (t, out) => {
        env.t = t;
        for (let i = 0; i < dims; i++) out[i] = exprs[i]!(env);
      };
    }
    case 'white_noise': {
      // one independent Gaussian sample per dimension per step (no 1/sqrt(dt) scaling)
      const rng = new Random(noiseSeed);
      const { mean, std } = signal;
      return (_t, out) => {
        for (let i = 0; i < dims; i++) out[i] = rng.normal(mean, std);
      };
    }
    case 'white_signal':
      return whiteSignal(signal, dims, dt, noiseSeed);
    default:
      return assertNever(signal);
  }
}

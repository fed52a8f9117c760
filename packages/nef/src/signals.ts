import { assertNever, Random, type CompiledExpr, type Signal } from '@snnc/ir';

/**
 * Writes an input's value at time t (s) into `out`. Piecewise follows Nengo's `Piecewise`
 * with zero-order interpolation: the value of the last point whose time is at most
 * t + dt/2 (so a point at 0.2 s is in effect from the step at t = 0.2 s on, despite
 * rounding), and zero before the first point.
 */
export type SignalFn = (t: number, out: Float64Array) => void;

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
    default:
      return assertNever(signal);
  }
}

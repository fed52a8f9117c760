import { assertNever, type ResetMode, type Surrogate } from '@snnc/ir';
import { surrogateDerivative } from '../model/surrogate.js';

/**
 * The multi-step neuron as two plain loops over typed arrays: one forward over all T steps,
 * one backward (BPTT with the surrogate) over all T steps in reverse. Layout: time-major,
 * T folded into the leading axis, so element i of step t is at t * n + i (n = size / T).
 *
 * The forward rounds every intermediate to float32 (Math.fround) in the same order as the
 * composed ops (model/neurons/*), so both paths give bit-identical spikes; the backward runs
 * in float64 and differs from the composed ops only by float32 rounding.
 */
export interface FusedNeuronConfig {
  steps: number;
  /** `if`: H = V + X; `lif`: SpikingJelly's LIF charge with 1/tau = invTau. */
  charge: 'if' | 'lif';
  /** 1/tau, per step (LIF only). */
  invTau: number;
  decayInput: boolean;
  threshold: number;
  reset: ResetMode;
  vReset: number;
  detachReset: boolean;
  surrogate: Surrogate;
  /**
   * The input is one static frame [B, ...] repeated at every step (direct encoding): the
   * forward reads it T times and the backward sums its gradient over T. Saves the [T*B, ...]
   * broadcast and its gradient.
   */
  staticInput?: boolean;
}

const f32 = Math.fround;

/** x -> spikes s and membrane-before-firing h. All arrays hold steps * n values. */
export function neuronForward(x: ArrayLike<number>, s: Float32Array, h: Float32Array, cfg: FusedNeuronConfig): void {
  // The report's neuron (LIF, decay_input, hard reset to 0) gets a loop without the generic
  // loop's per-element mode tests: measured 1.6-1.9x faster; same float32 arithmetic.
  if (cfg.charge === 'lif' && cfg.decayInput && cfg.reset === 'hard' && cfg.vReset === 0) lifHardZeroForward(x, s, h, cfg);
  else neuronForwardGeneric(x, s, h, cfg);
}

function lifHardZeroForward(x: ArrayLike<number>, s: Float32Array, h: Float32Array, cfg: FusedNeuronConfig): void {
  const T = cfg.steps;
  const n = checkLength(s.length, T);
  const xStride = cfg.staticInput ? 0 : n;
  if (x.length !== (cfg.staticInput ? n : n * T)) throw new Error(`fused neuron: input has ${x.length} values, expected ${cfg.staticInput ? n : n * T}`);
  const k = f32(cfg.invTau);
  const thr = f32(cfg.threshold);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let t = 0, j = i, xi = i; t < T; t++, j += n, xi += xStride) {
      const hv = f32(v + f32(f32(x[xi]! - v) * k));
      const sp = f32(hv - thr) >= 0 ? 1 : 0;
      h[j] = hv;
      s[j] = sp;
      v = sp === 0 ? hv : 0;
    }
  }
}

/** The forward for every configuration (exported for the fast path's test). */
export function neuronForwardGeneric(x: ArrayLike<number>, s: Float32Array, h: Float32Array, cfg: FusedNeuronConfig): void {
  const T = cfg.steps;
  const n = checkLength(s.length, T);
  const xStride = cfg.staticInput ? 0 : n; // a static input is re-read at every step
  if (x.length !== (cfg.staticInput ? n : n * T)) throw new Error(`fused neuron: input has ${x.length} values, expected ${cfg.staticInput ? n : n * T}`);
  const k = f32(cfg.invTau);
  const vr = f32(cfg.vReset);
  const thr = f32(cfg.threshold);
  const isIf = cfg.charge === 'if';
  const decay = cfg.decayInput;
  const hard = cfg.reset === 'hard';
  for (let i = 0; i < n; i++) {
    let v = vr;
    for (let t = 0, j = i, xi = i; t < T; t++, j += n, xi += xStride) {
      const xj = x[xi]!;
      let hv: number;
      if (isIf) hv = f32(v + xj);
      else {
        const leak = vr === 0 ? v : f32(v - vr);
        hv = decay ? f32(v + f32(f32(xj - leak) * k)) : f32(f32(v - f32(leak * k)) + xj);
      }
      const sp = f32(hv - thr) >= 0 ? 1 : 0;
      h[j] = hv;
      s[j] = sp;
      if (hard) v = sp === 0 ? hv : vr === 0 ? 0 : f32(hv - f32(hv - vr));
      else v = sp === 0 ? hv : f32(hv - thr);
    }
  }
}

/** Upstream gradient dy (w.r.t. the spikes) -> gradient w.r.t. the input x. */
export function neuronBackward(
  dy: ArrayLike<number>,
  s: ArrayLike<number>,
  h: ArrayLike<number>,
  dx: Float32Array,
  cfg: FusedNeuronConfig,
): void {
  const T = cfg.steps;
  const n = checkLength(dy.length, T);
  const sg = surrogateDerivative(cfg.surrogate);
  // dH/dV and dH/dX of the charge equation
  let dhdv: number;
  let dhdx: number;
  switch (cfg.charge) {
    case 'if':
      dhdv = 1;
      dhdx = 1;
      break;
    case 'lif':
      dhdv = 1 - cfg.invTau;
      dhdx = cfg.decayInput ? cfg.invTau : 1;
      break;
    default:
      assertNever(cfg.charge);
  }
  const thr = cfg.threshold;
  const vr = cfg.vReset;
  const hard = cfg.reset === 'hard';
  const detached = cfg.detachReset;
  const isStatic = cfg.staticInput === true;
  if (dx.length !== (isStatic ? n : n * T)) throw new Error(`fused neuron: dx has ${dx.length} values, expected ${isStatic ? n : n * T}`);
  for (let i = 0; i < n; i++) {
    let gv = 0; // dL/dV[t], carried backwards in time
    let gx = 0; // static input: dL/dx summed over the steps
    for (let t = T - 1, j = i + (T - 1) * n; t >= 0; t--, j -= n) {
      const hv = h[j]!;
      const sp = s[j]!;
      const g = sg(hv - thr);
      // dV[t]/dH[t] through the reset; the spike's own surrogate term is cut when detached
      const dvdh = hard ? (detached ? 1 - sp : 1 - sp + (vr - hv) * g) : detached ? 1 : 1 - thr * g;
      const gh = dy[j]! * g + gv * dvdh;
      if (isStatic) gx += gh * dhdx;
      else dx[j] = gh * dhdx;
      gv = gh * dhdv;
    }
    if (isStatic) dx[i] = gx;
  }
}

function checkLength(size: number, T: number): number {
  if (!Number.isInteger(T) || T < 1 || size % T !== 0) {
    throw new Error(`fused neuron: expected a size divisible by T=${T}, got ${size}`);
  }
  return size / T;
}

import { assertNever, type SurrogateKind } from '@snnc/ir';
import type { FusedNeuronConfig } from '../neuron_loops.js';

/**
 * The fused multi-step neuron as WGSL compute programs for tfjs's `webgpu` backend. Each
 * program follows tfjs-backend-webgpu 4.22's WebGPUProgram contract (structurally: the
 * backend wraps getUserCode() with the bindings `result` (binding 0), one read-only storage
 * array per name in variableNames, and a `uniforms` struct holding the shapes plus our own
 * fields; `main(index)` is called once per invocation with a flat global index).
 *
 * One invocation owns one neuron i and walks all T steps of it: time-major layout, element i
 * of step t at t * n + i, n = size / T (the same layout as the JS loops in neuron_loops.ts).
 * Structural choices (charge, reset, detach, surrogate, static input) are baked into the
 * shader source and its cache key; numeric parameters travel as uniforms, so changing tau
 * or the threshold reuses the compiled pipeline.
 */

/** What tfjs-backend-webgpu's runWebGPUProgram reads from a program (webgpu_program.ts). */
export interface WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

/** One uniform value, in declaration order (tfjs's ProgramUniform entries). */
export interface ProgramUniformValue {
  type: 'int32' | 'float32';
  data: number[];
}

/** Invocations per workgroup: 64 is the usual sweet spot for 1-D elementwise work. */
const WORKGROUP = 64;

function flatLayout(shape: number[]): { x: number[] } {
  return { x: shape.map((_, i) => i) };
}

function dispatchFor(invocations: number): [number, number, number] {
  // tfjs reshapes a dispatch above the per-dimension limit (65535) into 2-D/3-D itself.
  return [Math.max(1, Math.ceil(invocations / WORKGROUP)), 1, 1];
}

/** f32 literal for WGSL from a JS number (exact for the constants used here). */
function f32Literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`webgpu neuron: expected a finite constant, got ${v}`);
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** dS/du of the spike for u = h - threshold, as a WGSL function of `u` and `a` (alpha). */
export function surrogateWgsl(kind: SurrogateKind): string {
  switch (kind) {
    case 'atan':
      return `let w = (${f32Literal(Math.PI / 2)} * a) * u; return a / (2.0 * (1.0 + w * w));`;
    case 'sigmoid':
      return 'let e = 1.0 / (1.0 + exp(-a * u)); return a * e * (1.0 - e);';
    case 'fast_sigmoid':
      return 'let d = 1.0 + a * abs(u); return 1.0 / (d * d);';
    case 'triangle':
      return 'return a * max(0.0, 1.0 - abs(u));';
    case 'piecewise_quadratic':
      return 'return max(0.0, a - a * a * abs(u));';
    default:
      return assertNever(kind);
  }
}

/**
 * Forward pass over all T steps: x -> membrane before firing h (the output). The spikes are
 * the threshold of h ({@link SpikesFromMembraneProgram}); splitting them keeps each program
 * to one output, which is what tfjs's program runner binds.
 */
export class NeuronMembraneProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['x'];
  uniforms = 'steps : i32, n : i32, invTau : f32, threshold : f32, vReset : f32,';
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  private readonly cfg: FusedNeuronConfig;

  constructor(outputShape: number[], n: number, cfg: FusedNeuronConfig) {
    this.outputShape = outputShape;
    this.cfg = cfg;
    this.dispatchLayout = flatLayout(outputShape);
    this.dispatch = dispatchFor(n);
    this.shaderKey = `snncNeuronH_${cfg.charge}_${cfg.decayInput ? 'decay' : 'nodecay'}_${cfg.reset}_${cfg.staticInput === true ? 'static' : 'seq'}`;
  }

  static uniformValues(n: number, cfg: FusedNeuronConfig): ProgramUniformValue[] {
    return [
      { type: 'int32', data: [cfg.steps] },
      { type: 'int32', data: [n] },
      { type: 'float32', data: [cfg.invTau] },
      { type: 'float32', data: [cfg.threshold] },
      { type: 'float32', data: [cfg.vReset] },
    ];
  }

  getUserCode(): string {
    const cfg = this.cfg;
    let charge: string;
    switch (cfg.charge) {
      case 'if':
        charge = 'let hv = v + xj;';
        break;
      case 'lif':
        // leak = v - vReset is exactly v when vReset = 0, as in the JS loops
        charge = cfg.decayInput ? 'let hv = v + (xj - (v - vr)) * k;' : 'let hv = (v - (v - vr) * k) + xj;';
        break;
      default:
        return assertNever(cfg.charge);
    }
    let reset: string;
    switch (cfg.reset) {
      case 'hard':
        // hv - (hv - vr): the composed ops' form, exactly 0 for vr = 0
        reset = 'v = select(hv, hv - (hv - vr), fire);';
        break;
      case 'soft':
        reset = 'v = select(hv, hv - thr, fire);';
        break;
      default:
        return assertNever(cfg.reset);
    }
    const xStep = cfg.staticInput === true ? '0' : 'nn';
    return `
      fn main(index : i32) {
        let nn = uniforms.n;
        if (index >= nn) { return; }
        let k = uniforms.invTau;
        let thr = uniforms.threshold;
        let vr = uniforms.vReset;
        var v = vr;
        var j = index;
        var xi = index;
        for (var t = 0; t < uniforms.steps; t = t + 1) {
          let xj = x[xi];
          ${charge}
          let fire = (hv - thr) >= 0.0;
          result[j] = hv;
          ${reset}
          j = j + nn;
          xi = xi + ${xStep};
        }
      }
    `;
  }
}

/** Spikes from the membrane: s = 1 where h - threshold >= 0 (H(0) = 1, as the composed ops). */
export class SpikesFromMembraneProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey = 'snncNeuronSpikes';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['h'];
  uniforms = 'threshold : f32,';
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  size = true;

  constructor(outputShape: number[], size: number) {
    this.outputShape = outputShape;
    this.dispatchLayout = flatLayout(outputShape);
    this.dispatch = dispatchFor(size);
  }

  static uniformValues(cfg: FusedNeuronConfig): ProgramUniformValue[] {
    return [{ type: 'float32', data: [cfg.threshold] }];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          result[index] = select(0.0, 1.0, (h[index] - uniforms.threshold) >= 0.0);
        }
      }
    `;
  }
}

/**
 * Backward pass (BPTT with the surrogate) over all T steps in reverse: {dy, s, h} -> dx.
 * The same recurrence as neuronBackward in neuron_loops.ts, in float32.
 */
export class NeuronBackwardProgram implements WebgpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['dy', 's', 'h'];
  uniforms = 'steps : i32, n : i32, threshold : f32, vReset : f32, alpha : f32, dhdv : f32, dhdx : f32,';
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  private readonly cfg: FusedNeuronConfig;

  constructor(outputShape: number[], n: number, cfg: FusedNeuronConfig) {
    this.outputShape = outputShape;
    this.cfg = cfg;
    this.dispatchLayout = flatLayout(outputShape);
    this.dispatch = dispatchFor(n);
    this.shaderKey = `snncNeuronGrad_${cfg.surrogate.kind}_${cfg.reset}_${cfg.detachReset ? 'detached' : 'attached'}_${cfg.staticInput === true ? 'static' : 'seq'}`;
  }

  static uniformValues(n: number, cfg: FusedNeuronConfig): ProgramUniformValue[] {
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
        return assertNever(cfg.charge);
    }
    return [
      { type: 'int32', data: [cfg.steps] },
      { type: 'int32', data: [n] },
      { type: 'float32', data: [cfg.threshold] },
      { type: 'float32', data: [cfg.vReset] },
      { type: 'float32', data: [cfg.surrogate.alpha] },
      { type: 'float32', data: [dhdv] },
      { type: 'float32', data: [dhdx] },
    ];
  }

  getUserCode(): string {
    const cfg = this.cfg;
    let dvdh: string; // dV[t]/dH[t] through the reset; the spike's surrogate term cut when detached
    switch (cfg.reset) {
      case 'hard':
        dvdh = cfg.detachReset ? '1.0 - sp' : '1.0 - sp + (vr - hv) * g';
        break;
      case 'soft':
        dvdh = cfg.detachReset ? '1.0' : '1.0 - thr * g';
        break;
      default:
        return assertNever(cfg.reset);
    }
    const isStatic = cfg.staticInput === true;
    return `
      fn surrogateGrad(u : f32, a : f32) -> f32 {
        ${surrogateWgsl(cfg.surrogate.kind)}
      }
      fn main(index : i32) {
        let nn = uniforms.n;
        if (index >= nn) { return; }
        let thr = uniforms.threshold;
        let vr = uniforms.vReset;
        let a = uniforms.alpha;
        var gv = 0.0;
        var gx = 0.0;
        var j = index + (uniforms.steps - 1) * nn;
        for (var t = uniforms.steps - 1; t >= 0; t = t - 1) {
          let hv = h[j];
          let sp = s[j];
          let g = surrogateGrad(hv - thr, a);
          let gh = dy[j] * g + gv * (${dvdh});
          ${isStatic ? 'gx = gx + gh * uniforms.dhdx;' : 'result[j] = gh * uniforms.dhdx;'}
          gv = gh * uniforms.dhdv;
          j = j - nn;
        }
        ${isStatic ? 'result[index] = gx;' : ''}
      }
    `;
  }
}

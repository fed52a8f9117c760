import { assertNever, type NefNeuron } from '@snnc/ir';
import type { WasmKernels } from './kernels.js';
import { curveRate, equationCurve, equationGainBias, equationStep } from './neuron-equations.js';

/**
 * Neuron models with Nengo 4.1 semantics. Currents J are dimensionless (threshold 1 for
 * LIF), rates are in Hz, times in seconds. Spiking neurons output amplitude/dt in a step in
 * which they spike (so that a lowpass of the output has units of Hz), as Nengo does.
 */

/** Gains and biases that give `maxRates` (Hz) at x = 1 and zero rate below `intercepts`. */
export function gainBias(neuron: NefNeuron, maxRates: Float64Array, intercepts: Float64Array): { gain: Float64Array; bias: Float64Array } {
  const n = maxRates.length;
  const gain = new Float64Array(n);
  const bias = new Float64Array(n);
  switch (neuron.kind) {
    case 'lif':
    case 'lif_rate': {
      // invert r = 1 / (tau_ref + tau_rc ln(1 + 1/(J - 1))) at J(1) = gain + bias
      for (let i = 0; i < n; i++) {
        const x = 1 / (1 - Math.exp((neuron.tauRef - 1 / maxRates[i]!) / neuron.tauRc));
        gain[i] = (1 - x) / (intercepts[i]! - 1);
        bias[i] = 1 - gain[i]! * intercepts[i]!;
      }
      break;
    }
    case 'relu':
    case 'spiking_relu':
      for (let i = 0; i < n; i++) {
        gain[i] = maxRates[i]! / (1 - intercepts[i]!);
        bias[i] = -intercepts[i]! * gain[i]!;
      }
      break;
    case 'equations':
      return equationGainBias(neuron.neuron, maxRates, intercepts);
    default:
      assertNever(neuron);
  }
  return { gain, bias };
}

/** The highest max rate a neuron type can reach, Hz (1/tau_ref for LIF). */
export function maxFiringRate(neuron: NefNeuron): number {
  switch (neuron.kind) {
    case 'lif':
    case 'lif_rate':
      return neuron.tauRef > 0 ? 1 / neuron.tauRef : Infinity;
    case 'relu':
    case 'spiking_relu':
      return Infinity;
    case 'equations': // at most one spike per step
      return 1 / neuron.neuron.dt;
    default:
      return assertNever(neuron);
  }
}

/** Steady-state firing rate (Hz) for input current J: the rate model used to solve decoders. */
export function rateOf(neuron: NefNeuron, j: number): number {
  switch (neuron.kind) {
    case 'lif':
    case 'lif_rate':
      return j > 1 ? 1 / (neuron.tauRef + neuron.tauRc * Math.log1p(1 / (j - 1))) : 0;
    case 'relu':
    case 'spiking_relu':
      return j > 0 ? neuron.amplitude * j : 0;
    case 'equations':
      return curveRate(equationCurve(neuron.neuron), j);
    default:
      return assertNever(neuron);
  }
}

/**
 * out[i] = rateOf(neuron, j[i]) for a whole array (the activity matrix of a decoder solve),
 * with the neuron switch hoisted out of the loop and no Smi/double phi (see lifStep).
 */
export function fillRates(neuron: NefNeuron, j: Float64Array, out: Float64Array): void {
  switch (neuron.kind) {
    case 'lif':
    case 'lif_rate': {
      const { tauRef, tauRc } = neuron;
      for (let i = 0; i < j.length; i++) {
        const ji = j[i]!;
        if (ji > 1) out[i] = 1 / (tauRef + tauRc * Math.log1p(1 / (ji - 1)));
        else out[i] = 0;
      }
      return;
    }
    case 'relu':
    case 'spiking_relu': {
      const amp = neuron.amplitude;
      for (let i = 0; i < j.length; i++) {
        const ji = j[i]!;
        if (ji > 0) out[i] = amp * ji;
        else out[i] = 0;
      }
      return;
    }
    case 'equations': {
      const curve = equationCurve(neuron.neuron);
      for (let i = 0; i < j.length; i++) out[i] = curveRate(curve, j[i]!);
      return;
    }
    default:
      assertNever(neuron);
  }
}

export function isSpiking(neuron: NefNeuron): boolean {
  switch (neuron.kind) {
    case 'lif':
    case 'spiking_relu':
    case 'equations':
      return true;
    case 'lif_rate':
    case 'relu':
      return false;
    default:
      return assertNever(neuron);
  }
}

/** Whether the neuron has a membrane voltage to probe. */
export function hasVoltage(neuron: NefNeuron): boolean {
  return isSpiking(neuron);
}

/** Mutable state of a population: voltages and (for LIF) remaining refractory time, s. */
export interface NeuronState {
  voltage: Float64Array;
  refractory: Float64Array;
}

/**
 * One simulation step of a population: reads J, writes `out` (spiking: amplitude/dt per
 * spike, rate: Hz), updates the state in place, lists the neurons with non-zero output in
 * `active` and returns how many there are (connections then only visit those). No allocation.
 */
export type NeuronStep = (j: Float64Array, out: Float64Array, state: NeuronState, active: Int32Array) => number;

export function makeNeuronStep(neuron: NefNeuron, dt: number): NeuronStep {
  switch (neuron.kind) {
    case 'lif':
      return lifStep(neuron.tauRc, neuron.tauRef, neuron.minVoltage, dt);
    case 'lif_rate': {
      const { tauRc, tauRef } = neuron;
      return (j, out, _state, active) => {
        let cnt = 0;
        for (let i = 0; i < j.length; i++) {
          const ji = j[i]!;
          if (ji > 1) {
            out[i] = 1 / (tauRef + tauRc * Math.log1p(1 / (ji - 1)));
            active[cnt++] = i;
          } else {
            out[i] = 0;
          }
        }
        return cnt;
      };
    }
    case 'relu': {
      const amp = neuron.amplitude;
      return (j, out, _state, active) => {
        let cnt = 0;
        for (let i = 0; i < j.length; i++) {
          const ji = j[i]!;
          if (ji > 0) {
            out[i] = amp * ji;
            active[cnt++] = i;
          } else {
            out[i] = 0;
          }
        }
        return cnt;
      };
    }
    case 'spiking_relu': {
      // Nengo SpikingRectifiedLinear: integrate max(J, 0) dt, emit floor(v) spikes, keep the rest
      const scale = neuron.amplitude / dt;
      return (j, out, state, active) => {
        const v = state.voltage;
        let cnt = 0;
        for (let i = 0; i < j.length; i++) {
          const ji = j[i]!;
          let vi = v[i]!;
          if (ji > 0) vi += ji * dt;
          if (vi >= 1) {
            const k = Math.floor(vi);
            out[i] = scale * k;
            vi -= k;
            active[cnt++] = i;
          } else {
            out[i] = 0;
          }
          v[i] = vi;
        }
        return cnt;
      };
    }
    case 'equations':
      // the definition's own step, at the network's dt
      return equationStep(neuron.neuron, dt);
    default:
      return assertNever(neuron);
  }
}

/**
 * Nengo's LIF.step: the voltage relaxes exactly towards J over the part of the step that is
 * not refractory; a spike's time within the step is found by solving v(t) = 1, and the
 * refractory period starts from that time (so it may end part-way through a later step).
 *
 * Written branch-free up to the spike test, in exactly the operations (and order) of the
 * wasm `lif` kernel in kernels.wat, so both paths give bit-identical results: expm1(-z) for
 * the non-refractory fraction z <= dt/tau_rc of the step is a degree-6 Taylor polynomial,
 * exact to z^7/5040 (< 2e-13 relative at dt/tau_rc = 0.05); Math.expm1 is used only when
 * dt/tau_rc > 0.1, where the polynomial would not be exact.
 */
function lifStep(tauRc: number, tauRef: number, minVoltage: number, dt: number): NeuronStep {
  const invTau = 1 / tauRc;
  const poly = dt / tauRc <= 0.1;
  const spikes = lifSpikes(tauRc, tauRef, dt);
  return (j, out, state, active) => {
    const v = state.voltage;
    const ref = state.refractory;
    let cnt = 0;
    for (let i = 0; i < j.length; i++) {
      const r = ref[i]! - dt;
      let d = dt - r;
      if (d < 0) d = 0;
      if (d > dt) d = dt;
      const z = d * invTau;
      const e = poly ? -z * (1 - z * (0.5 - z * (0.16666666666666666 - z * (0.041666666666666664 - z * (0.008333333333333333 - z * 0.001388888888888889))))) : Math.expm1(-z);
      const ji = j[i]!;
      let vi = v[i]!;
      vi -= (ji - vi) * e;
      ref[i] = r;
      out[i] = 0;
      // separate stores, not `vi < min ? min : vi`: a phi of a double and the Smi 0 would
      // box every voltage into a fresh heap number (measured: 10 kB of garbage per step)
      if (vi > 1) {
        v[i] = vi;
        active[cnt++] = i;
      } else if (vi < minVoltage) v[i] = minVoltage;
      else v[i] = vi;
    }
    spikes(cnt, j, out, state, active);
    return cnt;
  };
}

/**
 * The spikes of a LIF step (neurons listed in `active`, their voltage still above 1): output
 * 1/dt, voltage 0, refractory time tau_ref from the spike time dt + tau_rc log1p(-(v-1)/(J-1)).
 */
function lifSpikes(tauRc: number, tauRef: number, dt: number): (cnt: number, j: Float64Array, out: Float64Array, state: NeuronState, active: Int32Array) => void {
  const spikeOut = 1 / dt;
  return (cnt, j, out, state, active) => {
    const v = state.voltage;
    const ref = state.refractory;
    for (let q = 0; q < cnt; q++) {
      const i = active[q]!;
      const vi = v[i]!;
      out[i] = spikeOut;
      v[i] = 0;
      ref[i] = tauRef + dt + tauRc * Math.log1p(-(vi - 1) / (j[i]! - 1));
    }
  };
}

/** Byte addresses of a LIF population's arrays in a kernel instance's memory. */
export interface LifPointers {
  j: number;
  v: number;
  ref: number;
  out: number;
  active: number;
  /** Bias and (1-D) scaled encoders, when the kernel computes J itself (0 otherwise). */
  bias: number;
  enc: number;
  /** Neurons processed by the kernel: n rounded up to even (the pad lane never spikes). */
  lanes: number;
}

/**
 * Where the kernel's J comes from: `given` (the caller filled j), or for a 1-D ensemble
 * `encode` = (j + bias) + enc x[0] (j holds the direct neuron input) or `encode-only` =
 * bias + enc x[0] (no direct input: j need not even be cleared). The same operations, in
 * the same order, as the simulator's TypeScript encoding loop.
 */
export type LifCurrent = { kind: 'given' } | { kind: 'encode' | 'encode-only'; x: Float64Array };

/**
 * The LIF step on the wasm SIMD kernel: the arrays passed to the step must be the views at
 * `ptrs` in the instance's memory. Falls back to {@link makeNeuronStep} when dt/tau_rc is
 * too large for the kernel's polynomial.
 */
export function makeLifWasmStep(
  neuron: Extract<NefNeuron, { kind: 'lif' }>,
  dt: number,
  kernel: Pick<WasmKernels, 'lif'>,
  ptrs: LifPointers,
  current: LifCurrent,
): NeuronStep {
  if (dt / neuron.tauRc > 0.1) throw new Error('makeLifWasmStep: expected dt / tau_rc <= 0.1 (the kernel polynomial is exact only there)');
  const invTau = 1 / neuron.tauRc;
  const spikes = lifSpikes(neuron.tauRc, neuron.tauRef, dt);
  const mode = current.kind === 'given' ? 0 : current.kind === 'encode' ? 1 : 2;
  const x = current.kind === 'given' ? null : current.x;
  return (j, out, state, active) => {
    const cnt = kernel.lif(ptrs.lanes, ptrs.j, ptrs.v, ptrs.ref, ptrs.out, ptrs.active, dt, invTau, neuron.minVoltage, mode, ptrs.bias, ptrs.enc, x === null ? 0 : x[0]!);
    spikes(cnt, j, out, state, active);
    return cnt;
  };
}

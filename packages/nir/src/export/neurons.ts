import { recogniseLinearNeuron, type Layer, type NeuronDef, type Surrogate } from '@snnc/ir';
import type { H5Group } from '../h5tree.js';
import { paramsFingerprint, setNumber, setText, SNNC_META } from '../snnc-origin.js';
import { channelsFirst, runtimeShape } from '../layout.js';
import { nirArray, type NirArray, type NirNode } from '../types.js';
import { ExportError, filled, node, type ExportTensor, type Warnings } from './nodes.js';

/**
 * A neuron layer as its NIR neuron node. snnc's discrete-time neurons map with the ecosystem's
 * convention (snnTorch's and SpikingJelly's exporters, forward Euler): tau = dt * tau_steps and
 * r such that dt * r / tau is the per-step input gain, so that Euler's
 * v += dt / tau (v_leak - v + r I) is snnc's update. LIF with decay_input
 * (H = V + (X - (V - V_reset)) / tau): gain 1/tau_steps, r = 1; without (H = V - (V - V_reset) / tau + X):
 * gain 1, r = tau_steps; IF (H = V + X): r = 1/dt. PLIF's learned w gives tau_steps = 1 + exp(-w)
 * (1/tau = sigmoid(w)). The reset mode, surrogate and step count go into the node's metadata
 * (see snnc-origin.ts), which snnc import reads to rebuild the same discrete neuron.
 */
export function neuronNode(l: Layer, n: NeuronDef, dt: number, warnings: Warnings, weight: (name: string, shape: number[]) => ExportTensor): NirNode {
  const label = l.name ?? l.id;
  switch (n.kind) {
    case 'if':
      return discreteNode(l, { charge: 'if', tauSteps: 0, ...common(n) }, dt, warnings);
    case 'lif':
    case 'plif':
      // 1/tau = sigmoid(w) for PLIF, learned per layer: NIR's tau is fixed, so the learned value is written.
      return discreteNode(l, { charge: 'lif', tauSteps: n.kind === 'plif' ? 1 + Math.exp(-weight('w', []).data[0]!) : n.tau, decayInput: n.decayInput, ...common(n) }, dt, warnings);
    case 'alif':
      throw new ExportError(label, 'ALIF (adaptive threshold) has no NIR primitive');
    case 'equations': {
      // a parameter given per neuron comes from the weights (runtime layout), back to the layer's shape
      const perNeuron = (k: string): NirArray => nirArray(l.outShape, channelsFirst(weight(k, runtimeShape(l.outShape)).data, l.outShape));
      const defined = definedNeuron(n, (k, x) => (n.perNeuron?.includes(k) ? perNeuron(k) : filled(l.outShape, x)), label);
      if (defined) return defined;
      // A user definition with SpikingJelly's IF/LIF step (whatever its equations' form) maps as those.
      if (n.perNeuron) throw new ExportError(label, `neuron definition \`${n.definition}\` with per-neuron parameters has no NIR primitive (only the NIR neurons \`snnc import\` writes take them)`);
      const shape = recogniseLinearNeuron(n);
      if (!shape) throw new ExportError(label, `neuron definition \`${n.definition}\` has no NIR primitive (NIR knows LIF, IF, LI, I, CubaLI, CubaLIF and Threshold; definitions with an IF or LIF step map to those)`);
      const { charge, invTau, decayInput, threshold, reset, vReset } = shape;
      return discreteNode(l, { charge, tauSteps: charge === 'lif' ? 1 / invTau : 0, decayInput, threshold, reset, resetValue: vReset, surrogate: n.surrogate, detachReset: n.detachReset }, dt, warnings);
    }
    default: {
      const never: never = n;
      throw new ExportError(label, `unknown neuron ${JSON.stringify(never)}`);
    }
  }
}

/** A discrete-time IF/LIF step: v = a v + b x + c per step, spike at v >= threshold. */
interface DiscreteNeuron {
  charge: 'if' | 'lif';
  /** Membrane time constant in steps (LIF). */
  tauSteps: number;
  decayInput?: boolean;
  threshold: number;
  reset: 'hard' | 'soft';
  resetValue: number;
  surrogate: Surrogate;
  detachReset: boolean;
}

function common(n: Extract<NeuronDef, { kind: 'if' | 'lif' | 'plif' }>) {
  return { threshold: n.threshold, reset: n.reset, resetValue: n.resetValue, surrogate: n.surrogate, detachReset: n.detachReset };
}

function discreteNode(l: Layer, n: DiscreteNeuron, dt: number, warnings: Warnings): NirNode {
  const v = (x: number) => filled(l.outShape, x);
  const label = l.name ?? l.id;
  // One warning for all layers with the same surrogate / soft reset, at the first.
  if (n.reset === 'soft') warnings.addFor(`soft ${n.resetValue}`, label, l.range, (who) => `${who}: soft reset (v -= threshold) has no NIR form; written as a reset to ${n.resetValue} (the mode is kept in the node's metadata)`);
  const s = `${n.surrogate.kind}(alpha=${n.surrogate.alpha})`;
  warnings.addFor(`surrogate ${s}`, label, l.range, (who) => `${who}: surrogate ${s} is training-only; NIR keeps the spike function (the surrogate is kept in the node's metadata)`);
  const meta: H5Group = { kind: 'group', children: new Map() };
  setText(meta, SNNC_META.reset, n.reset);
  setText(meta, SNNC_META.surrogate, n.surrogate.kind);
  setNumber(meta, SNNC_META.surrogateAlpha, n.surrogate.alpha);
  setNumber(meta, SNNC_META.detachReset, n.detachReset ? 1 : 0, '<q');
  setNumber(meta, SNNC_META.dt, dt);
  let made: NirNode;
  if (n.charge === 'if') {
    setText(meta, SNNC_META.layer, 'IF');
    made = node({ kind: 'IF', params: { r: v(1 / dt), v_threshold: v(n.threshold), v_reset: v(n.resetValue) } });
  } else {
    const decay = n.decayInput ?? true;
    setText(meta, SNNC_META.layer, 'LIF');
    setNumber(meta, SNNC_META.tauSteps, n.tauSteps);
    setNumber(meta, SNNC_META.decayInput, decay ? 1 : 0, '<q');
    made = node({
      kind: 'LIF',
      params: { tau: v(dt * n.tauSteps), r: v(decay ? 1 : n.tauSteps), v_leak: v(n.resetValue), v_threshold: v(n.threshold), v_reset: v(n.resetValue) },
    });
  }
  setText(meta, SNNC_META.params, paramsFingerprint(made));
  return { ...made, metadata: meta };
}

/** The NIR neurons `snnc import` writes as `.snn` definitions, back to their primitives. */
function definedNeuron(n: Extract<NeuronDef, { kind: 'equations' }>, param: (k: string, x: number) => NirArray, label: string): NirNode | undefined {
  const p = n.params;
  const has = (k: string) => {
    const x = p[k];
    // The generated definitions always have these parameters; a user's same-named one may not.
    if (x === undefined) throw new ExportError(label, `neuron definition \`${n.definition}\` has no parameter \`${k}\``);
    return k;
  };
  const v = (k: string) => param(k, p[k]!);
  switch (n.definition) {
    case 'NirLIF':
      return node({ kind: 'LIF', params: { tau: v(has('tau')), r: v(has('r')), v_leak: v(has('v_leak')), v_threshold: v(has('threshold')), v_reset: v(has('reset')) } });
    case 'NirIF':
      return node({ kind: 'IF', params: { r: v(has('r')), v_threshold: v(has('threshold')), v_reset: v(has('reset')) } });
    case 'NirCubaLI':
      return node({ kind: 'CubaLI', params: { tau_syn: v(has('tau_syn')), tau_mem: v(has('tau_mem')), r: v(has('r')), v_leak: v(has('v_leak')), w_in: v(has('w_in')) } });
    case 'CubaLIF':
      return node({
        kind: 'CubaLIF',
        params: { tau_syn: v(has('tau_syn')), tau_mem: v(has('tau_mem')), r: v(has('r')), v_leak: v(has('v_leak')), v_threshold: v(has('threshold')), v_reset: v(has('reset')), w_in: v(has('w_in')) },
      });
    case 'LI':
      return node({ kind: 'LI', params: { tau: v(has('tau')), r: v(has('r')), v_leak: v(has('v_leak')) } });
    case 'Integrator':
      return node({ kind: 'I', params: { r: v(has('r')) } });
    case 'NirThreshold':
      return node({ kind: 'Threshold', params: { threshold: v(has('threshold')) } });
    default:
      return undefined;
  }
}

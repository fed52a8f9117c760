import { IR_RANGES } from '@snnc/ir';
import type { CallableEntry, ParamEntry } from './types.js';

/** Ranges from the IR, so the compiler and validateIR agree. */
const N = IR_RANGES.neuron;

/**
 * The surrogate gradients of the spike function, as functions of x = H - threshold, with the
 * default sharpness alpha documented on `Surrogate` in the IR.
 */
const SURROGATES: readonly [name: string, doc: string, alpha: number][] = [
  ['atan', 'SpikingJelly ATan: alpha / (2 (1 + (pi/2 alpha x)^2))', 2],
  ['sigmoid', 'derivative of sigmoid(alpha x): alpha s(alpha x) (1 - s(alpha x))', 4],
  ['fast_sigmoid', 'SuperSpike: 1 / (1 + alpha abs(x))^2', 25],
  ['triangle', 'Bellec et al. 2018: alpha max(0, 1 - abs(x))', 0.3],
  ['piecewise_quadratic', 'SpikingJelly: max(0, alpha - alpha^2 abs(x))', 1],
];

export const SURROGATE_ENTRIES: readonly CallableEntry[] = SURROGATES.map(
  ([name, doc, alpha]): CallableEntry => ({
    name,
    kind: 'surrogate',
    doc: `surrogate gradient, ${doc}`,
    params: [{ name: 'alpha', positional: true, type: 'number', num: N.alpha, default: { value: alpha, text: String(alpha) }, doc: 'sharpness' }],
    snippet: `${name}(alpha: \${1:${alpha}})`,
  }),
);

// Defaults are SpikingJelly's: tau 2 steps, threshold 1, hard reset to 0, decay_input true,
// detach_reset false, surrogate atan(alpha 2).
const COMMON: readonly ParamEntry[] = [
  { name: 'threshold', type: 'number', default: { value: 1, text: '1' }, doc: 'membrane value at which the neuron fires' },
  {
    name: 'reset',
    type: 'number',
    choices: ['soft'],
    default: { value: 0, text: '0' },
    doc: 'a number: hard reset to that value; `soft`: subtract the threshold',
  },
  { name: 'detach_reset', type: 'boolean', default: { value: false, text: 'false' }, doc: 'cut the reset out of the backward pass (SpikingJelly `detach_reset`)' },
  {
    name: 'surrogate',
    type: 'call',
    callKind: 'surrogate',
    default: { value: 'atan', text: 'atan(alpha: 2)' },
    doc: 'surrogate gradient of the spike in the backward pass',
  },
];

const LEAKY: readonly ParamEntry[] = [
  // tau is in time steps: a time unit is a mistake, not a conversion.
  { name: 'tau', positional: true, type: 'number', num: N.tau, unit: 'time steps', default: { value: 2, text: '2' }, doc: 'membrane time constant' },
  { name: 'decay_input', type: 'boolean', default: { value: true, text: 'true' }, doc: 'leak the input too: H = V + (X - (V - V_reset)) / tau' },
  ...COMMON,
];

/**
 * The built-in trained neurons. A neuron defined in `.snn` gets an entry of the same shape
 * (kind `neuron`), so the checks, the editor and the docs treat both alike.
 */
export const BUILTIN_NEURON_ENTRIES: readonly CallableEntry[] = [
  { name: 'IF', kind: 'neuron', doc: 'integrate-and-fire: H = V + X', params: COMMON, snippet: 'IF(threshold: ${1:1})' },
  { name: 'LIF', kind: 'neuron', doc: 'leaky integrate-and-fire (surrogate-gradient trained)', params: LEAKY, snippet: 'LIF(tau: ${1:2})' },
  { name: 'PLIF', kind: 'neuron', doc: 'parametric LIF: 1/tau is learned per layer, starting from tau (Fang et al. 2021)', params: LEAKY, snippet: 'PLIF(tau: ${1:2})' },
  {
    name: 'ALIF',
    kind: 'neuron',
    doc: 'adaptive LIF: threshold + beta a[t], a[t] = a[t-1] (1 - 1/tau_adapt) + S[t-1]',
    params: [
      LEAKY[0]!,
      { name: 'tau_adapt', type: 'number', num: N.tauAdapt, unit: 'time steps', default: { value: 20, text: '20' }, doc: 'adaptation time constant' },
      { name: 'beta', type: 'number', num: N.beta, default: { value: 0.2, text: '0.2' }, doc: 'threshold increase per spike' },
      ...LEAKY.slice(1),
    ],
    snippet: 'ALIF(tau: ${1:2}, tau_adapt: ${2:20}, beta: ${3:0.2})',
  },
];

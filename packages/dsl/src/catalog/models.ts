import { IR_RANGES } from '@snnc/ir';
import type { CallableEntry } from './types.js';

/** A model header's built-in parameters; every other header parameter is the user's. */
export const MODEL_ENTRY: CallableEntry = {
  name: 'model',
  kind: 'model',
  doc: 'a trained spiking network: `model name(input: [1, 28, 28], steps: 4, ...) { ... }`',
  params: [
    { name: 'input', type: 'shape', num: IR_RANGES.model.input, doc: 'per-sample shape, [C, H, W] channels first, [C, L] (conv1d) or [N]' },
    { name: 'steps', type: 'integer', num: IR_RANGES.model.steps, unit: 'time steps', doc: 'time steps T per sample' },
  ],
};

export const ENCODER_ENTRIES: readonly CallableEntry[] = [
  { name: 'direct', kind: 'encoder', doc: 'the analogue input, unchanged at every step', params: [], snippet: 'direct' },
  {
    name: 'poisson',
    kind: 'encoder',
    doc: 'Bernoulli spikes with probability clamp(gain x, 0, 1) per step',
    params: [{ name: 'gain', positional: true, type: 'number', num: IR_RANGES.encoder.gain, default: { value: 1, text: '1' }, doc: 'spike probability per unit of input' }],
    snippet: 'poisson(gain: ${1:1})',
  },
  {
    name: 'latency',
    kind: 'encoder',
    doc: 'one spike per input; `linear`: at step round((1 - x)(T - 1)); `log`: at tau ln(x / (x - threshold))',
    // snnTorch's latency defaults: tau 1, threshold 0.01; `linear` timing by default here.
    params: [
      { name: 'mode', type: 'word', choices: ['linear', 'log'], default: { value: 'linear', text: 'linear' }, doc: 'spike timing rule' },
      { name: 'tau', type: 'number', num: IR_RANGES.encoder.tau, unit: 'time steps', default: { value: 1, text: '1' }, doc: 'time constant of the `log` mode' },
      { name: 'threshold', type: 'number', num: IR_RANGES.encoder.threshold, default: { value: 0.01, text: '0.01' }, doc: 'inputs below it never fire' },
    ],
    snippet: 'latency(mode: ${1:linear})',
  },
];

export const DECODER_ENTRIES: readonly CallableEntry[] = [
  { name: 'rate', kind: 'decoder', doc: 'mean spikes per step of the last layer', params: [], snippet: 'rate' },
  { name: 'count', kind: 'decoder', doc: 'spike count of the last layer over all steps', params: [], snippet: 'count' },
  {
    name: 'membrane',
    kind: 'decoder',
    doc: "mean over time of the last neuron layer's membrane potential H (or of a non-spiking last layer's output)",
    params: [],
    snippet: 'membrane',
  },
];

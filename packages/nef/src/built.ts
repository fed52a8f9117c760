import type { CompiledExpr, Ensemble, Expr, LearningRule, NefNeuron, Network, ProbeAttr, Signal, Synapse } from '@snnc/ir';

/**
 * A built network: everything the simulator needs as flat typed arrays, plus the build
 * parameters (gains, encoders, decoders) for inspection and plotting tuning curves.
 * Matrices are row-major Float64Arrays with their shape in the field's comment.
 */
export interface BuiltNetwork {
  network: Network;
  /** Seed actually used (options.seed, else network.seed, else 0). */
  seed: number;
  dt: number;
  /** Number of steps for the network's run time: round(runTime / dt). */
  steps: number;
  inputs: BuiltInput[];
  ensembles: BuiltEnsemble[];
  connections: BuiltConnection[];
  probes: BuiltProbe[];
  /**
   * Ensembles and computing nodes in the order they are stepped (synapse-free connections
   * respected). Plain inputs come first, learning rules after all of these.
   */
  order: StepUnit[];
  /** Wall time spent building, seconds, and the part of it spent solving decoders. */
  buildSeconds: number;
  solveSeconds: number;
}

export type StepUnit = { kind: 'ensemble'; index: number } | { kind: 'node'; index: number };

export interface BuiltInput {
  name: string;
  dims: number;
  /** Size of a computing node's summed input `x`; 0 for inputs of `t` only. */
  sizeIn: number;
  signal: Signal;
  /** Seed of a white-noise signal's stream. */
  noiseSeed: number;
  /** Compiled expressions of `t` (and `x` for nodes) for `expr` signals. */
  exprs: CompiledExpr[] | null;
}

export interface BuiltEnsemble {
  name: string;
  ir: Ensemble;
  neuron: NefNeuron;
  n: number;
  dims: number;
  radius: number;
  seed: number;
  /** n, Hz at the radius. */
  maxRates: Float64Array;
  /** n, in units of the radius. */
  intercepts: Float64Array;
  gain: Float64Array;
  bias: Float64Array;
  /** n x dims unit vectors. */
  encoders: Float64Array;
  /** n x dims: encoders * gain / radius, so that J = scaledEncoders . x + bias. */
  scaledEncoders: Float64Array;
  /** m x dims evaluation points (already scaled by the radius). */
  evalPoints: Float64Array;
  nEvalPoints: number;
  /** n: initial membrane voltages, uniform(0, 1) as in Nengo. */
  initialVoltage: Float64Array;
  /** How the decoders of this ensemble were solved and the RMS error at the eval points. */
  solver: { form: 'primal' | 'dual' | 'cg' | 'none'; targets: number; rmsError: number; seconds: number; iterations: number };
}

/** Where a connection's value comes from. */
export type BuiltSource =
  /** An input's value (sliced), passed through `fn` when the connection has a function. */
  | { kind: 'input'; input: number; slice: Int32Array | null; fn: CompiledExpr[] | null }
  /**
   * Outputs of an ensemble's neurons (all of them, or a slice), times `rows` (S x width):
   * decoders for a decoded connection, transposed weights for a `neurons` connection.
   * Sparse in time: only neurons that spiked in a step cost anything.
   */
  | { kind: 'neurons'; ensemble: number; slice: Int32Array | null; rows: Float64Array };

export interface BuiltConnection {
  id: string;
  source: BuiltSource;
  /** Width of the source stage's output u (before `transform`). */
  width: number;
  /** postDims x width, or null when u already is the post value. */
  transform: Float64Array | null;
  post: BuiltPost;
  synapse: Synapse | null;
  /**
   * Per post element factor applied on delivery (the target neurons' gains for a learned
   * connection into `.neurons`, whose weights are learned without them, as in Nengo), or null.
   */
  postScale: Float64Array | null;
  learning: BuiltLearning | null;
  /** Filter u (before the transform) when it is narrower than the post value. */
  filterBeforeTransform: boolean;
}

/** Where a connection delivers: an ensemble's input, its neurons' current, a node's input, a rule's error. */
export type BuiltPost =
  | { kind: 'ensemble' | 'neurons'; ensemble: number; slice: Int32Array | null; dims: number }
  | { kind: 'node'; input: number; slice: Int32Array | null; dims: number }
  /** The error (PES) or learning signal (Voja) of connection `connection`'s rule. */
  | { kind: 'rule'; connection: number; slice: Int32Array | null; dims: number };

/**
 * A learned connection. PES, BCM and Oja change its source `rows` (pre neurons x width, so
 * the weight from pre neuron i to post element o is rows[i * width + o]); Voja changes the
 * post ensemble's scaled encoders.
 */
export interface BuiltLearning {
  rule: LearningRule;
  /** Pre and post ensembles (indices). */
  /** null for Voja on a connection from an input. */
  pre: number | null;
  post: number;
  /** Size of the rule's error or learning signal: the post size for PES, 1 for Voja, 0 otherwise. */
  signalDims: number;
}

export interface BuiltProbe {
  name: string;
  attr: ProbeAttr;
  /** Number of recorded columns. */
  dims: number;
  source:
    | { kind: 'input'; input: number; slice: Int32Array | null }
    /** A decoded value with its own decoders (n x dims). */
    | { kind: 'decoded'; ensemble: number; decoders: Float64Array }
    | { kind: 'spikes' | 'voltage'; ensemble: number; slice: Int32Array | null }
    /** A learned connection's weights (post x pre, row-major) or their Frobenius norm. */
    | { kind: 'weights' | 'weights_norm'; connection: number };
  synapse: Synapse | null;
  expect: Expr[] | null;
  expectFns: CompiledExpr[] | null;
}

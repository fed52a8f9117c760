import type { CompiledExpr, Ensemble, Expr, NefNeuron, Network, ProbeAttr, Signal } from '@snnc/ir';

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
  /** Ensemble indices in the order they are stepped (synapse-free connections respected). */
  order: number[];
  /** Wall time spent building, seconds, and the part of it spent solving decoders. */
  buildSeconds: number;
  solveSeconds: number;
}

export interface BuiltInput {
  name: string;
  dims: number;
  signal: Signal;
  /** Seed of a white-noise signal's stream. */
  noiseSeed: number;
  /** Compiled expressions of `t` for `expr` signals. */
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
  solver: { form: 'primal' | 'dual' | 'none'; targets: number; rmsError: number; seconds: number };
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
  post: { kind: 'ensemble' | 'neurons'; ensemble: number; slice: Int32Array | null; dims: number };
  /** Lowpass time constant, s, or null. */
  synapse: number | null;
  /** Filter u (before the transform) when it is narrower than the post value. */
  filterBeforeTransform: boolean;
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
    | { kind: 'spikes' | 'voltage'; ensemble: number; slice: Int32Array | null };
  synapse: number | null;
  expect: Expr[] | null;
  expectFns: CompiledExpr[] | null;
}

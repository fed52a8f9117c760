/**
 * The entry format of the parameter table: one `CallableEntry` per thing a `.snn` file can
 * call or name (a layer, a neuron, an optimizer, an experiment's fields ...), one `ParamEntry`
 * per parameter. The checks bind and read arguments from these entries; the editor's hovers
 * and completions, `snnc help` and the tables in docs/language.md are rendered from them.
 * Browser-safe: no node imports.
 */

/** What a numeric parameter accepts (ranges live in the IR, `IR_RANGES`, shared with validateIR). */
export type { NumSpec } from '@snnc/ir';
import type { NumSpec } from '@snnc/ir';

/** Where a callable is written; one name may mean different things in different places (`LIF`). */
export type CallableKind =
  /** A trained (surrogate-gradient) neuron: `neuron x = LIF(...)` or inline in a chain. */
  | 'neuron'
  | 'surrogate'
  /** A layer in a model chain. */
  | 'layer'
  | 'encoder'
  | 'decoder'
  /** A model header's built-in parameters (`input`, `steps`). */
  | 'model'
  /** The fields of an `experiment { ... }` block. */
  | 'experiment'
  | 'data'
  | 'normalize'
  | 'target'
  | 'loss'
  | 'optimizer'
  | 'schedule'
  /** Kernel initialisation of the experiment's model (`init: kaiming(gain: 2)`). */
  | 'init'
  /** Cost table of the energy estimate (`energy: horowitz45_int8`). */
  | 'energy'
  /** A training-loss regulariser (`regularize: firing_rate(target: 0.05, weight: 0.1)`). */
  | 'regularize'
  /** A NEF network's settings (`dt`, `run`, `seed`). */
  | 'network'
  /** A NEF ensemble's neuron type (`ensemble a = LIF(n: 100)`). */
  | 'ensemble'
  /** A NEF input's signal (`input b = piecewise(...)`). */
  | 'signal'
  /** The options of `connect a -> b (...)`. */
  | 'connection'
  /** The options of `probe x (...)`. */
  | 'probe'
  /** A learning rule on a connection (`learning: PES(...)`). */
  | 'learning'
  /** A synapse model (`synapse: alpha(5ms)`). */
  | 'synapse'
  /** A matrix builder (`transform: eye(3)`, `load("w.npy")`). */
  | 'matrix'
  /** A built-in function in expressions (`sin`, `max`). */
  | 'function';

/** The form of a parameter's value, as a reader needs it. */
export type ParamType =
  | 'number'
  | 'integer'
  | 'boolean'
  /** One of `choices`. */
  | 'word'
  | 'string'
  /** One number or `[rows, columns]`. */
  | 'pair'
  /** `[low, high]`. */
  | 'range'
  /** A list of numbers of any length (`[1, 0.5]`). */
  | 'numbers'
  /** A shape `[C, H, W]` or `[N]`. */
  | 'shape'
  /** A call of another callable kind (`surrogate: atan(alpha: 2)`), see `callKind`. */
  | 'call'
  /** An expression (of `t`, `x`, inputs or parameters). */
  | 'expression'
  /** A scalar, a diagonal or a matrix. */
  | 'matrix'
  /** A list of vectors, or a word among `choices`. */
  | 'vectors'
  /** `{time: value, ...}`. */
  | 'map'
  /** A model name, optionally with arguments. */
  | 'model';

/** The value used when a parameter is not given. */
export interface ParamDefault {
  /**
   * The value in IR units (seconds, hertz, time steps), when it is a constant; absent when the
   * default depends on other arguments or on context (described by `text`).
   */
  value?: number | boolean | string | null | readonly number[];
  /** As written in `.snn` (`20ms`, `atan(alpha: 2)`), or a description (`the window size`). */
  text: string;
}

export interface ParamEntry {
  name: string;
  /** May be given without its name; positional parameters come first, in table order. */
  positional?: boolean;
  /** Absent: the parameter is required. */
  default?: ParamDefault;
  type: ParamType;
  /** Range and dimension of numbers (for `pair`, `range` and `number`/`integer`). */
  num?: NumSpec;
  /** Unit of the value for readers: `time steps`, `seconds`, `Hz`, `pixels`. */
  unit?: string;
  /** Allowed words (type `word`, or the word alternative of `vectors`/`matrix`). */
  choices?: readonly string[];
  /** For type `call`: which callable kind the value is. */
  callKind?: CallableKind;
  /** One line. */
  doc: string;
}

export interface CallableEntry {
  name: string;
  kind: CallableKind;
  /** One line. */
  doc: string;
  params: readonly ParamEntry[];
  /** Completion text in Monaco snippet syntax; derived from the required parameters when absent. */
  snippet?: string;
}

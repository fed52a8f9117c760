/**
 * A typed NIR graph (Neuromorphic Intermediate Representation, github.com/neuromorphs/NIR,
 * nir/ir/*.py). Parameter names are NIR's own (snake_case): they are the dataset names in a
 * `.nir` file and in NIR's Python classes, written once here and in primitives.ts.
 * Units are NIR's: SI (seconds for time constants and delays).
 */
import type { H5Group } from './h5tree.js';

/** HDF5 element types NIR files use, as h5wasm names them ('<f' float32, '<d' float64, '<q' int64 ...). */
export type NirDtype = '<f' | '<d' | '<e' | '<q' | '<i' | '<h' | '<b' | '<Q' | '<I' | '<H' | '<B';

/**
 * An n-dimensional array in row-major order. Values are held as float64 whatever the file's
 * type (int64 values beyond 2^53 are refused on reading); `dtype` is kept so that writing gives
 * the file's own element type back. `shape` [] is a scalar.
 */
export interface NirArray {
  dtype: NirDtype;
  shape: number[];
  data: Float64Array;
}

/** A metadata group (or a node's datasets NIR does not define): any HDF5 content, kept as read. */
export type NirMetadata = H5Group;

/** What a parameter holds. `padding` is an int array or one of the words `same`/`valid`. */
export type ParamKind = 'float' | 'int' | 'padding';

export interface ParamSpec {
  kind: ParamKind;
  /**
   * Absent from a file: `required` refuses it; `zeros`/`ones` fill an array shaped like the
   * node's `like` parameter (0.1.x files have no `v_reset`; `w_in` defaults to 1); `null` keeps
   * it absent (Conv `input_shape`, Flatten `input_type`).
   */
  missing: 'required' | 'zeros' | 'ones' | 'null';
  like?: string;
}

export type PaddingValue = NirArray | 'same' | 'valid';
type ValueOf<S extends ParamSpec> = S['kind'] extends 'padding' ? PaddingValue : S['missing'] extends 'null' ? NirArray | null : NirArray;

/** Every NIR primitive except NIRGraph, with its parameters (nir/ir/*.py, nir/serialization.py). */
export const NIR_PRIMITIVES = {
  Input: { shape: { kind: 'int', missing: 'required' } },
  Output: { shape: { kind: 'int', missing: 'required' } },
  Affine: { weight: { kind: 'float', missing: 'required' }, bias: { kind: 'float', missing: 'required' } },
  Linear: { weight: { kind: 'float', missing: 'required' } },
  Scale: { scale: { kind: 'float', missing: 'required' } },
  Conv1d: {
    weight: { kind: 'float', missing: 'required' },
    bias: { kind: 'float', missing: 'required' },
    stride: { kind: 'int', missing: 'required' },
    padding: { kind: 'padding', missing: 'required' },
    dilation: { kind: 'int', missing: 'required' },
    groups: { kind: 'int', missing: 'required' },
    input_shape: { kind: 'int', missing: 'null' },
  },
  Conv2d: {
    weight: { kind: 'float', missing: 'required' },
    bias: { kind: 'float', missing: 'required' },
    stride: { kind: 'int', missing: 'required' },
    padding: { kind: 'padding', missing: 'required' },
    dilation: { kind: 'int', missing: 'required' },
    groups: { kind: 'int', missing: 'required' },
    input_shape: { kind: 'int', missing: 'null' },
  },
  SumPool2d: { kernel_size: { kind: 'int', missing: 'required' }, stride: { kind: 'int', missing: 'required' }, padding: { kind: 'int', missing: 'required' } },
  AvgPool2d: { kernel_size: { kind: 'int', missing: 'required' }, stride: { kind: 'int', missing: 'required' }, padding: { kind: 'int', missing: 'required' } },
  Flatten: { start_dim: { kind: 'int', missing: 'required' }, end_dim: { kind: 'int', missing: 'required' }, input_type: { kind: 'int', missing: 'null' } },
  Threshold: { threshold: { kind: 'float', missing: 'required' } },
  Delay: { delay: { kind: 'float', missing: 'required' } },
  I: { r: { kind: 'float', missing: 'required' } },
  IF: { r: { kind: 'float', missing: 'required' }, v_threshold: { kind: 'float', missing: 'required' }, v_reset: { kind: 'float', missing: 'zeros', like: 'v_threshold' } },
  LI: { tau: { kind: 'float', missing: 'required' }, r: { kind: 'float', missing: 'required' }, v_leak: { kind: 'float', missing: 'required' } },
  LIF: {
    tau: { kind: 'float', missing: 'required' },
    r: { kind: 'float', missing: 'required' },
    v_leak: { kind: 'float', missing: 'required' },
    v_threshold: { kind: 'float', missing: 'required' },
    v_reset: { kind: 'float', missing: 'zeros', like: 'v_threshold' },
  },
  CubaLI: {
    tau_syn: { kind: 'float', missing: 'required' },
    tau_mem: { kind: 'float', missing: 'required' },
    r: { kind: 'float', missing: 'required' },
    v_leak: { kind: 'float', missing: 'required' },
    w_in: { kind: 'float', missing: 'ones', like: 'v_leak' },
  },
  CubaLIF: {
    tau_syn: { kind: 'float', missing: 'required' },
    tau_mem: { kind: 'float', missing: 'required' },
    r: { kind: 'float', missing: 'required' },
    v_leak: { kind: 'float', missing: 'required' },
    v_threshold: { kind: 'float', missing: 'required' },
    v_reset: { kind: 'float', missing: 'zeros', like: 'v_threshold' },
    w_in: { kind: 'float', missing: 'ones', like: 'v_threshold' },
  },
} as const satisfies Record<string, Record<string, ParamSpec>>;

export type NirPrimitiveKind = keyof typeof NIR_PRIMITIVES;
export type NirKind = NirPrimitiveKind | 'NIRGraph';

export const NIR_KINDS = [...(Object.keys(NIR_PRIMITIVES) as NirPrimitiveKind[]), 'NIRGraph'] as const;

export type NirParams<K extends NirPrimitiveKind> = { -readonly [P in keyof (typeof NIR_PRIMITIVES)[K]]: (typeof NIR_PRIMITIVES)[K][P] extends ParamSpec ? ValueOf<(typeof NIR_PRIMITIVES)[K][P]> : never };

interface NodeCommon {
  metadata: NirMetadata;
  /** Datasets and groups of the node that NIR does not define, kept so that a round trip loses nothing. */
  extra: NirMetadata;
}

export type NirPrimitive = { [K in NirPrimitiveKind]: NodeCommon & { kind: K; params: NirParams<K> } }[NirPrimitiveKind];

export interface NirGraph extends NodeCommon {
  kind: 'NIRGraph';
  /** In file order (HDF5 keeps names sorted unless the writer tracked creation order). */
  nodes: Map<string, NirNode>;
  /** [source, target] node names; a name may address a nested graph's node as `graph.node`. */
  edges: [string, string][];
}

export type NirNode = NirPrimitive | NirGraph;

/** A whole `.nir` file: the format version string and the top graph. */
export interface NirFile {
  version: string;
  graph: NirGraph;
}

/** The NIR release whose layout this package writes. */
export const NIR_WRITE_VERSION = '1.0.7';

export function isNirPrimitiveKind(k: string): k is NirPrimitiveKind {
  return Object.prototype.hasOwnProperty.call(NIR_PRIMITIVES, k);
}

/** Number of elements of a shape ([] is a scalar: 1). */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function nirArray(shape: number[], values: ArrayLike<number>, dtype: NirDtype = '<f'): NirArray {
  if (sizeOf(shape) !== values.length) throw new Error(`nirArray: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${values.length}`);
  return { dtype, shape: [...shape], data: Float64Array.from(values) };
}

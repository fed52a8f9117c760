import type * as tf from '@tensorflow/tfjs-core';
import type { Random } from '@snnc/ir';

/** What one forward pass tells every layer. */
export interface ForwardContext {
  training: boolean;
  /** Seeded randomness for dropout masks and spike encoders. */
  rng: Random;
  /** Time steps T. */
  steps: number;
  /** Samples B in the batch. */
  batch: number;
  /**
   * True when the leading axis holds T*B rows (time-major, T folded into the batch); false
   * in the static prefix of a direct-encoded model, where it holds the B samples once.
   */
  folded: boolean;
}

/** A built layer: its persistent tensors and its forward function. */
export interface LayerRuntime {
  readonly id: string;
  /** Persistent tensors by local name (`kernel`, `moving_mean`); full name `${id}/${local}`. */
  readonly weights: Readonly<Record<string, tf.Variable>>;
  /** Trainable ones, stable order. */
  readonly trainable: readonly tf.Variable[];
  /** x: [N, ...] with N = T*B or B (see ForwardContext.folded). */
  apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor;
}

/** A node that combines several inputs of the same rows (all [T*B, ...] or all [B, ...]). */
export interface MergeRuntime {
  readonly id: string;
  merge(xs: readonly tf.Tensor[]): tf.Tensor;
}

import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKind } from '@snnc/ir';

/** A trainable variable under the stable name it has in checkpoints (`conv2d_0/kernel`). */
export interface Param {
  name: string;
  variable: tf.Variable;
}

/** What a checkpoint stores of an optimizer: update counts and slot tensors by name. */
export interface OptimizerSnapshot {
  kind: OptimizerKind;
  /** Updates applied to each parameter so far (Adam's bias correction needs them). */
  steps: Record<string, number>;
  /** Slot tensors by `<param>/<slot>` (`conv2d_0/kernel/m`); the caller must not dispose them. */
  slots: Record<string, tf.Tensor>;
}

/**
 * A first-order optimizer with PyTorch's update rules, written with tfjs ops so that it runs
 * on every backend and its state can be saved and restored exactly.
 */
export interface Optimizer {
  readonly kind: OptimizerKind;
  readonly params: readonly Param[];
  /**
   * One update of every parameter that has a gradient. `grads[i]` belongs to `params[i]`;
   * `undefined` (no path from the loss) leaves that parameter and its slots untouched, like a
   * PyTorch parameter whose .grad is None. `lr` is the schedule's rate for this update.
   */
  apply(grads: ReadonlyArray<tf.Tensor | undefined>, lr: number): void;
  snapshot(): OptimizerSnapshot;
  /** Restores a snapshot; throws an Error naming the slot when a shape or name does not fit. */
  restore(snapshot: OptimizerSnapshot): void;
  dispose(): void;
}

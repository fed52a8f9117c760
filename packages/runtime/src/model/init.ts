import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '@snnc/ir';

/**
 * PyTorch's default initialisation for Conv2d and Linear: kaiming_uniform(a = sqrt(5)) on the
 * weight, which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias.
 * fan_in = in_channels * KH * KW (conv) or in_features (dense).
 */
export function pytorchBound(fanIn: number): number {
  if (!(fanIn > 0)) throw new Error(`pytorchBound: expected fan_in > 0, got ${fanIn}`);
  return 1 / Math.sqrt(fanIn);
}

/** A float32 tensor of `shape` drawn from U(-bound, bound) with `rng`, in row-major order. */
export function uniformTensor(rng: Random, shape: number[], bound: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.uniform(-bound, bound);
  return tf.tensor(values, shape, 'float32');
}

/** A variable that owns `initial` (disposed here) and is detached from any tidy scope. */
export function makeVariable(initial: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}

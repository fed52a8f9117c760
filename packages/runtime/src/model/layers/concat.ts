import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { MergeRuntime } from '../context.js';

/** Joins inputs along the channel axis: the last runtime axis (NHWC, NLC; features of [N]). */
export function buildConcat(layer: Extract<Layer, { kind: 'concat' }>): MergeRuntime {
  return {
    id: layer.id,
    merge(xs: readonly tf.Tensor[]): tf.Tensor {
      if (xs.length < 2) throw new Error(`${layer.id}: expected at least 2 inputs, got ${xs.length}`);
      return tf.concat([...xs], xs[0]!.rank - 1);
    },
  };
}

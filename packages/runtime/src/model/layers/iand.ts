import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { MergeRuntime } from '../context.js';

/**
 * SEW-ResNet's IAND (Fang et al. 2021): (NOT a) AND b = (1 - a) b for spikes a (the block's
 * output) and b (the shortcut). Differentiable: d/da = -b, d/db = 1 - a.
 */
export function buildIand(layer: Extract<Layer, { kind: 'iand' }>): MergeRuntime {
  return {
    id: layer.id,
    merge(xs: readonly tf.Tensor[]): tf.Tensor {
      if (xs.length !== 2) throw new Error(`${layer.id}: expected 2 inputs, got ${xs.length}`);
      return tf.mul(tf.sub(1, xs[0]!), xs[1]!);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { MergeRuntime } from '../context.js';

/** Elementwise sum of same-shaped inputs (a residual connection; SEW's ADD). */
export function buildAdd(layer: Extract<Layer, { kind: 'add' }>): MergeRuntime {
  return {
    id: layer.id,
    merge(xs: readonly tf.Tensor[]): tf.Tensor {
      if (xs.length < 2) throw new Error(`${layer.id}: expected at least 2 inputs, got ${xs.length}`);
      return xs.length === 2 ? tf.add(xs[0]!, xs[1]!) : tf.addN([...xs]);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';

/** Sum over 'valid' windows `size` moved by `stride` (NIR SumPool2d), NHWC: avgpool x window area. */
export function buildSumPool(layer: Extract<Layer, { kind: 'sumpool' }>): LayerRuntime {
  const area = layer.size[0] * layer.size[1];
  return {
    id: layer.id,
    weights: {},
    trainable: [],
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== 4) throw new Error(`${layer.id}: expected a rank-4 NHWC input, got rank ${x.rank}`);
      return tf.mul(tf.avgPool(x as tf.Tensor4D, layer.size, layer.stride, 'valid'), area);
    },
  };
}

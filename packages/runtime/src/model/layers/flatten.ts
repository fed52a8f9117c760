import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';

/**
 * [N, H, W, C] -> [N, H*W*C]. The order is NHWC's (channels fastest), not PyTorch's CHW;
 * it only matters when importing a PyTorch dense kernel that follows a flatten.
 */
export function buildFlatten(layer: Extract<Layer, { kind: 'flatten' }>): LayerRuntime {
  return {
    id: layer.id,
    weights: {},
    trainable: [],
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      return x.rank === 2 ? x : tf.reshape(x, [x.shape[0]!, -1]);
    },
  };
}

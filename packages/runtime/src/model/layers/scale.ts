import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';

/** y = factor x, a fixed (not learned) gain. */
export function buildScale(layer: Extract<Layer, { kind: 'scale' }>): LayerRuntime {
  return {
    id: layer.id,
    weights: {},
    trainable: [],
    apply: (x: tf.Tensor, _ctx: ForwardContext): tf.Tensor => (layer.factor === 1 ? x : tf.mul(x, layer.factor)),
  };
}

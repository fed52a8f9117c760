import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { toRuntimeShape } from '../layout.js';
import { makeVariable } from '../init.js';

/**
 * Layer normalisation of each row over all its other axes (PyTorch LayerNorm with
 * normalized_shape = the whole per-sample shape): y = (x - mean) / sqrt(var + eps) gamma + beta,
 * biased variance; gamma (ones) and beta (zeros) have the per-sample shape (NHWC). The same in
 * training and evaluation, and each time step of each sample on its own.
 */
export function buildLayerNorm(layer: Extract<Layer, { kind: 'layernorm' }>): LayerRuntime {
  const shape = toRuntimeShape(layer.inShape);
  const gamma = makeVariable(tf.ones(shape), true);
  const beta = makeVariable(tf.zeros(shape), true);
  const axes = shape.map((_, i) => i + 1);
  return {
    id: layer.id,
    weights: { gamma, beta },
    trainable: [gamma, beta],
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== shape.length + 1 || x.shape.slice(1).some((d, i) => d !== shape[i])) {
        throw new Error(`${layer.id}: expected rows of shape [${shape.join(', ')}], got [${x.shape.join(', ')}]`);
      }
      const { mean, variance } = tf.moments(x, axes, true);
      const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, layer.eps)));
      return tf.add(tf.mul(normed, gamma), beta);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';

/**
 * Inverted dropout: in training, zero each unit with probability `rate` and scale the rest by
 * 1 / (1 - rate); identity in evaluation. In multi-step mode one mask per sample is shared
 * by all T steps (SpikingJelly's layer.Dropout), so a dropped neuron stays silent for the
 * whole sequence instead of flickering. The mask comes from the forward pass's `rng`.
 */
export function buildDropout(layer: Extract<Layer, { kind: 'dropout' }>): LayerRuntime {
  const rate = layer.rate;
  if (!(rate >= 0 && rate < 1)) throw new Error(`${layer.id}: expected 0 <= rate < 1, got ${rate}`);
  return {
    id: layer.id,
    weights: {},
    trainable: [],
    apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
      if (!ctx.training || rate === 0) return x;
      const rows = ctx.folded ? ctx.batch : x.shape[0]!;
      const perRow = x.size / x.shape[0]!;
      const scale = 1 / (1 - rate);
      const values = new Float32Array(rows * perRow);
      for (let i = 0; i < values.length; i++) values[i] = ctx.rng.random() < rate ? 0 : scale;
      const mask = tf.tensor(values, [rows, ...x.shape.slice(1)], 'float32');
      const full = ctx.folded && ctx.steps > 1 ? tf.tile(mask, [ctx.steps, ...x.shape.slice(1).map(() => 1)]) : mask;
      return tf.mul(x, full);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Random } from '@snnc/ir';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { makeVariable, pytorchBound, uniformTensor } from '../init.js';

type Conv1dLayer = Extract<Layer, { kind: 'conv1d' }>;

/**
 * 1-D convolution over NLC activations (IR shape [C, L]). kernel [K, C_in, C_out], bias
 * [C_out]; PyTorch Conv1d's default init, bound 1/sqrt(C_in K). Zero padding of `padding`
 * samples on both ends.
 */
export function buildConv1d(layer: Conv1dLayer, rng: Random): LayerRuntime {
  const cin = layer.inShape[0];
  if (layer.inShape.length !== 2 || cin === undefined) {
    throw new Error(`${layer.id}: expected a [C, L] input shape, got [${layer.inShape.join(', ')}]`);
  }
  const bound = pytorchBound(cin * layer.kernel);
  const kernel = makeVariable(uniformTensor(rng, [layer.kernel, cin, layer.filters], bound), true);
  const weights: Record<string, tf.Variable> = { kernel };
  const trainable = [kernel];
  let bias: tf.Variable | null = null;
  if (layer.bias) {
    bias = makeVariable(uniformTensor(rng, [layer.filters], bound), true);
    weights['bias'] = bias;
    trainable.push(bias);
  }
  return {
    id: layer.id,
    weights,
    trainable,
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== 3) throw new Error(`${layer.id}: expected a rank-3 NLC input, got rank ${x.rank}`);
      const p = layer.padding;
      const padded = p === 0 ? x : tf.pad(x as tf.Tensor3D, [[0, 0], [p, p], [0, 0]]);
      const y = tf.conv1d(padded as tf.Tensor3D, kernel as tf.Tensor3D, layer.stride, 'valid');
      return bias === null ? y : tf.add(y, bias);
    },
  };
}

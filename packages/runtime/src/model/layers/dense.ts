import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Random } from '@snnc/ir';
import { denseMatMul, matMulGradientFor } from '../../kernels/dense_matmul.js';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { makeVariable, pytorchBound, uniformTensor } from '../init.js';

type DenseLayer = Extract<Layer, { kind: 'dense' }>;

/** Fully connected: y = x kernel + bias; kernel [in, units]; PyTorch default init. */
export function buildDense(layer: DenseLayer, rng: Random): LayerRuntime {
  const fanIn = layer.inShape.reduce((a, b) => a * b, 1);
  if (layer.inShape.length !== 1) {
    throw new Error(`${layer.id}: expected a flat [N] input shape, got [${layer.inShape.join(', ')}]`);
  }
  const bound = pytorchBound(fanIn);
  const kernel = makeVariable(uniformTensor(rng, [fanIn, layer.units], bound), true);
  const weights: Record<string, tf.Variable> = { kernel };
  const trainable = [kernel];
  let bias: tf.Variable | null = null;
  if (layer.bias) {
    bias = makeVariable(uniformTensor(rng, [layer.units], bound), true);
    weights['bias'] = bias;
    trainable.push(bias);
  }
  return {
    id: layer.id,
    weights,
    trainable,
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== 2) throw new Error(`${layer.id}: expected a rank-2 [N, features] input, got rank ${x.rank}`);
      const y = denseMatMul(x as tf.Tensor2D, kernel as tf.Tensor2D, matMulGradientFor(tf.getBackend()));
      return bias === null ? y : tf.add(y, bias);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import { affineBatchNorm, batchNormTrain } from '../../kernels/batchnorm.js';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { makeVariable } from '../init.js';

type BatchNormLayer = Extract<Layer, { kind: 'batchnorm' }>;

/**
 * Batch normalisation over the channel axis (last in NHWC, the features of a flat input).
 * Training: batch statistics, and the running statistics move as in PyTorch:
 * running = (1 - momentum) running + momentum batch, with the unbiased batch variance.
 * Evaluation: running statistics. gamma 1, beta 0, running mean 0, running variance 1.
 */
export function buildBatchNorm(layer: BatchNormLayer): LayerRuntime {
  const channels = layer.inShape[0];
  if (channels === undefined) throw new Error(`${layer.id}: expected a non-empty input shape`);
  const gamma = makeVariable(tf.ones([channels]), true);
  const beta = makeVariable(tf.zeros([channels]), true);
  const movingMean = makeVariable(tf.zeros([channels]), false);
  const movingVariance = makeVariable(tf.ones([channels]), false);
  const m = layer.momentum;
  return {
    id: layer.id,
    weights: { gamma, beta, moving_mean: movingMean, moving_variance: movingVariance },
    trainable: [gamma, beta],
    apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
      if (x.shape[x.rank - 1] !== channels) {
        throw new Error(`${layer.id}: expected ${channels} channels last, got shape [${x.shape.join(', ')}]`);
      }
      if (!ctx.training) return affineBatchNorm(x, movingMean, movingVariance, gamma, beta, layer.eps);
      const { y, mean, variance, count } = batchNormTrain(x, gamma, beta, layer.eps);
      if (count > 1) {
        // The running statistics are state, not part of the differentiated function.
        const unbiased = count / (count - 1);
        movingMean.assign(tf.tidy(() => tf.add(tf.mul(movingMean, 1 - m), tf.mul(mean, m))));
        movingVariance.assign(tf.tidy(() => tf.add(tf.mul(movingVariance, 1 - m), tf.mul(variance, m * unbiased))));
      }
      tf.dispose([mean, variance]);
      return y;
    },
  };
}

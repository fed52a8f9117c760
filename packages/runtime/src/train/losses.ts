import * as tf from '@tensorflow/tfjs-core';
import { assertNever, SnncError, type DecoderKind, type LossKind } from '@snnc/ir';
import type { TargetCodec } from './codes/index.js';

/**
 * A loss over a batch: `outputs` is the network's decoded output [B, K], `targets` the code
 * rows of the true labels [B, K]. Returns the batch MEAN as a scalar, so a weighted sum
 * sum_b(loss_b * n_b) / N over batches gives the mean over a whole data set.
 */
export type LossFn = (outputs: tf.Tensor2D, targets: tf.Tensor2D) => tf.Scalar;

/** Outputs are clamped to [eps, 1 - eps] before a log in the bit-wise cross-entropy. */
const BCE_EPS = 1e-6;

/**
 * The loss of an experiment.
 * - `mse`: mean over batch x outputs of (output - code)^2, like PyTorch's F.mse_loss.
 * - `cross_entropy` with `onehot`: softmax cross-entropy of the outputs (rates or counts used
 *   as logits) with the label; with `inverse_onehot` the logits are the NEGATED outputs, since
 *   the smallest output is the prediction; with `binary`/`gray` (bits, not classes) it is the
 *   binary cross-entropy of each output as the probability of its bit, mean over batch x bits,
 *   which needs outputs in [0, 1], i.e. `decode rate`.
 */
export function makeLoss(kind: LossKind, codec: TargetCodec, decoder: DecoderKind): LossFn {
  switch (kind) {
    case 'mse':
      return mseLoss;
    case 'cross_entropy':
      switch (codec.kind) {
        case 'onehot':
          return softmaxCrossEntropy;
        case 'inverse_onehot':
          return (outputs, targets) => tf.tidy(() => softmaxCrossEntropy(tf.neg(outputs), tf.sub(1, targets)));
        case 'binary':
        case 'gray':
          if (decoder !== 'rate') {
            throw new SnncError('SNN7009', {
              loss: kind,
              target: codec.kind,
              reason: `bit-wise cross-entropy reads each output as a probability, which needs \`decode rate\`, not \`decode ${decoder}\``,
            });
          }
          return bitCrossEntropy;
        default:
          return assertNever(codec.kind);
      }
    default:
      return assertNever(kind);
  }
}

export function mseLoss(outputs: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(outputs, targets)));
}

/** mean_b -sum_k p_bk log softmax(z_b)_k, for a target distribution p per row. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits, 1)), 1))));
}

/** mean over batch x bits of -(y log p + (1 - y) log(1 - p)), p clamped away from 0 and 1. */
export function bitCrossEntropy(outputs: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(outputs, BCE_EPS, 1 - BCE_EPS);
    const ll = tf.add(tf.mul(targets, tf.log(p)), tf.mul(tf.sub(1, targets), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll));
  });
}

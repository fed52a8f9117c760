import * as tf from '@tensorflow/tfjs-core';
import { assertNever, type Decoder } from '@snnc/ir';

/**
 * From the last layer's output over T steps, y [T*B, K] time-major, to the model output
 * [B, K]: `rate` = mean spikes per step, `count` = spikes summed over T, `membrane` = mean
 * over T of `membrane` (H before firing of the last neuron layer when it is the last
 * layer; otherwise the caller passes the last layer's output, a non-spiking readout).
 */
export function decode(decoder: Decoder, y: tf.Tensor, steps: number, membrane?: tf.Tensor): tf.Tensor {
  const perStep = (t: tf.Tensor) => tf.reshape(t, [steps, t.shape[0]! / steps, ...t.shape.slice(1)]);
  switch (decoder.kind) {
    case 'rate':
      return steps === 1 ? y : tf.mean(perStep(y), 0);
    case 'count':
      return steps === 1 ? y : tf.sum(perStep(y), 0);
    case 'membrane': {
      const m = membrane ?? y;
      return steps === 1 ? m : tf.mean(perStep(m), 0);
    }
    default:
      return assertNever(decoder);
  }
}

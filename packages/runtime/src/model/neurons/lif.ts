import * as tf from '@tensorflow/tfjs-core';
import type { NeuronCell } from './types.js';

/**
 * Leaky integrate-and-fire, SpikingJelly's equations with tau in steps:
 * decayInput: H = V + (X - (V - V_reset)) / tau;  otherwise: H = V - (V - V_reset) / tau + X.
 * `invTau` is 1/tau, a number (LIF) or a scalar tensor (PLIF, learned).
 */
export function lifCharge(
  v: tf.Tensor,
  x: tf.Tensor,
  invTau: number | tf.Tensor,
  vReset: number,
  decayInput: boolean,
): tf.Tensor {
  const leak = vReset === 0 ? v : tf.sub(v, vReset);
  if (decayInput) return tf.add(v, tf.mul(tf.sub(x, leak), invTau));
  return tf.add(tf.sub(v, tf.mul(leak, invTau)), x);
}

export function lifCell(tau: number, threshold: number, vReset: number, decayInput: boolean): NeuronCell {
  if (!(tau > 0)) throw new Error(`lifCell: expected tau > 0 steps, got ${tau}`);
  const invTau = 1 / tau;
  return {
    charge: (v, x) => lifCharge(v, x, invTau, vReset, decayInput),
    threshold: () => threshold,
    begin: () => {},
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { lifCharge } from './lif.js';
import type { NeuronCell } from './types.js';

/**
 * Parametric LIF (Fang et al. 2021, SpikingJelly ParametricLIFNode): one learnable scalar w
 * per layer with 1/tau = sigmoid(w), initialised so that tau starts at the declared value:
 * w = -ln(tau - 1). Needs tau > 1 (tau in steps).
 */
export function plifInitialW(tau: number): number {
  if (!(tau > 1)) throw new Error(`plifInitialW: expected tau > 1 step, got ${tau}`);
  return -Math.log(tau - 1);
}

export function plifCell(w: tf.Variable, threshold: number, vReset: number, decayInput: boolean): NeuronCell {
  // 1/tau is recomputed per sequence (not per step) so the tape holds one sigmoid per forward.
  let invTau: tf.Tensor | null = null;
  return {
    charge: (v, x) => lifCharge(v, x, invTau ?? (invTau = tf.sigmoid(w)), vReset, decayInput),
    threshold: () => threshold,
    begin: () => {
      invTau = null;
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { lifCharge } from './lif.js';
import type { NeuronCell } from './types.js';

/**
 * Adaptive LIF: LIF charge, and a threshold that rises by `beta` per spike and relaxes with
 * time constant `tauAdapt` steps: a[t] = a[t-1] (1 - 1/tauAdapt) + S[t-1], a[0] = 0,
 * threshold[t] = threshold + beta a[t]. Gradients flow through the adaptation (as in
 * Bellec et al. 2018's LSNN), which is what makes the threshold a learnable dynamic.
 */
export function alifCell(
  tau: number,
  threshold: number,
  vReset: number,
  decayInput: boolean,
  tauAdapt: number,
  beta: number,
): NeuronCell {
  if (!(tau > 0)) throw new Error(`alifCell: expected tau > 0 steps, got ${tau}`);
  if (!(tauAdapt > 0)) throw new Error(`alifCell: expected tauAdapt > 0 steps, got ${tauAdapt}`);
  const invTau = 1 / tau;
  const keep = 1 - 1 / tauAdapt;
  let a: tf.Tensor | null = null;
  return {
    charge: (v, x) => lifCharge(v, x, invTau, vReset, decayInput),
    threshold: (prev) => {
      if (prev === null) {
        a = null;
        return threshold;
      }
      a = a === null ? prev : tf.add(tf.mul(a, keep), prev);
      return tf.add(tf.mul(a, beta), threshold);
    },
    begin: () => {
      a = null;
    },
  };
}

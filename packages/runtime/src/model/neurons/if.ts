import * as tf from '@tensorflow/tfjs-core';
import type { NeuronCell } from './types.js';

/** Integrate-and-fire: H[t] = V[t-1] + X[t] (no leak). */
export function ifCell(threshold: number): NeuronCell {
  return {
    charge: (v, x) => tf.add(v, x),
    threshold: () => threshold,
    begin: () => {},
  };
}

import type * as tf from '@tensorflow/tfjs-core';

/**
 * One neuron kind's per-step equations on [B, ...] tensors. Membrane values are
 * dimensionless; one step is one simulation time step.
 */
export interface NeuronCell {
  /** H[t] from V[t-1] and the input X[t] (charge). */
  charge(v: tf.Tensor, x: tf.Tensor): tf.Tensor;
  /**
   * The firing threshold at step t, given the spikes of step t-1 (null at t = 0). Constant
   * except for ALIF, whose threshold adapts. Owns any state it keeps between steps.
   */
  threshold(prevSpikes: tf.Tensor | null): number | tf.Tensor;
  /** Resets per-sequence state (ALIF's adaptation) before a new sequence. */
  begin(): void;
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer, RateRegularizer } from '@snnc/ir';
import type { LayerProbe } from '../../model/network.js';

/**
 * Collects each neuron layer's mean firing rate during a training forward pass, still on the
 * gradient tape (spikes carry surrogate gradients), for the term
 * weight * mean over layers of (rate - target)^2 that {@link penalty} returns.
 */
export class RateRegProbe implements LayerProbe {
  private readonly rates: tf.Scalar[] = [];

  constructor(private readonly reg: RateRegularizer) {}

  layer(layer: Layer, _input: tf.Tensor, output: tf.Tensor): void {
    // kept past the forward's tidy; the gradient tape keeps what its backward pass needs
    if (layer.kind === 'neuron') this.rates.push(tf.keep(tf.mean(output) as tf.Scalar));
  }

  /** The loss term (call inside the same tidy/gradient scope as the forward pass); 0 without neuron layers. */
  penalty(): tf.Scalar {
    if (this.rates.length === 0) return tf.scalar(0);
    const sq = this.rates.map((r) => tf.square(tf.sub(r, this.reg.target)));
    return tf.mul(tf.mean(tf.stack(sq)), this.reg.weight) as tf.Scalar;
  }

  /** Frees the kept rates (after the gradients are computed). */
  dispose(): void {
    tf.dispose(this.rates);
    this.rates.length = 0;
  }
}

/** Several probes as one (each sees every layer, in the order given). */
export function combineProbes(...probes: (LayerProbe | undefined)[]): LayerProbe | undefined {
  const ps = probes.filter((p): p is LayerProbe => p !== undefined);
  if (ps.length <= 1) return ps[0];
  return { layer: (l, i, o, f) => ps.forEach((p) => p.layer(l, i, o, f)) };
}

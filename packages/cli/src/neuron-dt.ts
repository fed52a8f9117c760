import type { Layer, Model } from '@snnc/ir';

/**
 * The model with every continuous-time neuron (an `euler`/`exact` equation neuron, such as the
 * NIR neurons `snnc import` writes) stepped at `dt` seconds: how `--dt` discretises them.
 * Discrete neurons (IF/LIF/PLIF/ALIF and `integrate discrete`) count steps and are unchanged.
 */
export function withNeuronDt(model: Model, dt: number): Model {
  const layers = model.layers.map((l): Layer => (l.kind === 'neuron' && l.neuron.kind === 'equations' && l.neuron.scheme !== 'discrete' ? { ...l, neuron: { ...l.neuron, dt } } : l));
  return { ...model, layers };
}

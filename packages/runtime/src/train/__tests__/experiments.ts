import type { Experiment, Model } from '@snnc/ir';
import { makeModel } from '../../model/__tests__/models.js';

/** A small dense SNN for MNIST: flatten -> dense(hidden) -> LIF -> dense(10) -> LIF, rate decoded. */
export function mlpModel(hidden = 64, steps = 4): Model {
  return makeModel([1, 28, 28], steps, [{ kind: 'flatten' }, { kind: 'dense', units: hidden }, { kind: 'neuron' }, { kind: 'dense', units: 10 }, { kind: 'neuron' }]);
}

/** An MNIST experiment around `model` with the report's defaults (onehot, MSE, Adam). */
export function experiment(model: Model, over: Partial<Experiment> = {}): Experiment {
  return {
    name: 'test',
    model,
    data: { kind: 'mnist' },
    normalize: { kind: 'unit' },
    target: 'onehot',
    loss: 'mse',
    optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    schedule: { kind: 'constant' },
    batch: 64,
    epochs: 1,
    seed: 1,
    ...over,
  };
}

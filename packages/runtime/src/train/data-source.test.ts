import { isSnncError, type Layer, type Model } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSequenceDataset, type SequenceDataset } from '../data/index.js';
import { buildNetwork } from '../model/index.js';
import { lifDef } from '../model/__tests__/models.js';
import { loadBackend } from '../node/backend/index.js';
import { experiment } from './__tests__/experiments.js';
import { fitData } from './data-source.js';
import { Trainer } from './trainer.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

/**
 * A toy sequence task a recurrent layer can learn: 4 steps of 2 inputs, class 1 when unit 0
 * is on in the first step (the rest is noise-free zeros), class 0 otherwise; the answer must
 * be carried through time.
 */
function sequences(count: number): SequenceDataset {
  const bytes = new Uint8Array(count * 4 * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    bytes[i * 8 + (i % 2 === 1 ? 0 : 1)] = 255;
  }
  return makeSequenceDataset({ count, steps: 4, stepShape: [2], classes: 2, labels, storage: { kind: 'bytes', bytes } });
}

function rnn(steps = 4): Model {
  const lif = lifDef({ tau: 10, decayInput: false, threshold: 0.5 });
  const layers: Layer[] = [
    { kind: 'dense', id: 'dense_0', inShape: [2], outShape: [8], units: 8, bias: true },
    { kind: 'add', id: 'add_0', inShape: [8], outShape: [8], inputs: ['dense_0', 'dense_1'] },
    { kind: 'neuron', id: 'neuron_0', inShape: [8], outShape: [8], neuron: lif },
    { kind: 'delay', id: 'delay_0', inShape: [8], outShape: [8], steps: 1, inputs: ['neuron_0'] },
    { kind: 'dense', id: 'dense_1', inShape: [8], outShape: [8], units: 8, bias: false },
    { kind: 'dense', id: 'dense_2', inShape: [8], outShape: [2], units: 2, bias: true, inputs: ['neuron_0'] },
    { kind: 'neuron', id: 'neuron_1', inShape: [2], outShape: [2], neuron: lifDef({ threshold: 1e9 }) },
  ];
  return { name: 'rnn', params: {}, input: [2], steps, encoder: { kind: 'direct' }, layers, decoder: { kind: 'membrane' }, outputShape: [2] };
}

describe('sequence data in the trainer', () => {
  it('trains a recurrent model on time-major batches and evaluates it', async () => {
    const exp = experiment(rnn(), { data: { kind: 'sequential_mnist' }, batch: 8, epochs: 1, loss: 'cross_entropy', optimizer: { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } });
    const network = buildNetwork(exp.model, { seed: 1 });
    const t = new Trainer({ experiment: exp, network, train: sequences(64), test: sequences(16) });
    const out = await t.run({ callbacks: {} });
    expect(out.status).toBe('completed');
    // chance is 0.5; the class is only visible at step 0, so state must carry it through time
    expect(out.history[0]!.test_acc).toBeGreaterThan(0.9);
    expect(Number.isFinite(out.history[0]!.train_loss)).toBe(true);
    t.dispose();
    network.dispose();
  });

  it('refuses a model whose steps or frame do not fit the data, with the data codes', () => {
    const exp = experiment(rnn(5), { data: { kind: 'sequential_mnist' } });
    const err = (() => {
      try {
        fitData(exp, sequences(4));
      } catch (e) {
        return e;
      }
    })();
    expect(isSnncError(err) && err.code).toBe('SNN4450');
    expect(fitData(experiment(rnn(), { data: { kind: 'sequential_mnist' } }), sequences(4))).toEqual({ sampleShape: [2], timeMajor: true, steps: 4 });
  });
});

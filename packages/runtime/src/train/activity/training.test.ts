import type { Experiment } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeFirst, type Dataset } from '../../data/index.js';
import { buildNetwork } from '../../model/index.js';
import { loadBackend } from '../../node/backend/index.js';
import { loadData } from '../../node/train/data.js';
import { experiment, mlpModel } from '../__tests__/experiments.js';
import { Trainer } from '../trainer.js';
import type { ActivityWarning } from './watch.js';

let mnist: { train: Dataset; test: Dataset };

beforeAll(async () => {
  await loadBackend('cpu');
  const d = await loadData({ kind: 'mnist' }, '.');
  if (!('count' in d.train) || 'steps' in d.train || 'steps' in d.test) throw new Error('expected image data');
  mnist = { train: d.train as Dataset, test: d.test as Dataset };
});

function trainer(exp: Experiment, trainN: number, testN: number): Trainer {
  return new Trainer({ experiment: exp, network: buildNetwork(exp.model, { seed: exp.seed }), train: takeFirst(mnist.train, trainN), test: takeFirst(mnist.test, testN) });
}

describe('training activity', () => {
  it('warns in the first epoch, even of 3 batches, when the output layer never spikes', async () => {
    // gain 0: every kernel is zero, biases stay below the threshold, so no neuron can fire
    const model = { ...mlpModel(16, 2), init: { scheme: 'pytorch' as const, gain: 0 } };
    const t = trainer(experiment(model, { batch: 16 }), 48, 32);
    const events: string[] = [];
    const warnings: ActivityWarning[] = [];
    const out = await t.run({
      callbacks: {
        onWarning: (w) => {
          warnings.push(w);
          events.push(`warning ${w.layer}`);
        },
        onEpoch: (m) => void events.push(`epoch ${m.epoch}`),
      },
    });
    expect(out.status).toBe('completed');
    const output = warnings.find((w) => w.layer === 'neuron_1');
    expect(output?.code).toBe('SNN7250');
    expect(output?.message).toContain('silent');
    expect(output?.message).toContain('neuron_1');
    expect(output?.message).toContain('the output layer');
    expect(output?.hint).toContain('batchnorm');
    // reported during the epoch, before its end-of-epoch line
    expect(events.indexOf('warning neuron_1')).toBeLessThan(events.indexOf('epoch 0'));
    // once per layer per epoch
    expect(warnings.filter((w) => w.layer === 'neuron_1').length).toBe(1);
    const a = t.history[0]!.activity!;
    expect(a.layers.find((l) => l.name === 'neuron_1')!.firing_rate).toBe(0);
    t.network.dispose();
    t.dispose();
  });

  it('says nothing for a network that spikes, and records activity and energy per epoch', async () => {
    // kaiming gain 4: large enough weights that both layers fire from the first batch
    const model = { ...mlpModel(16, 4), init: { scheme: 'kaiming' as const, gain: 4 } };
    const t = trainer(experiment(model, { batch: 16 }), 48, 40);
    const warnings: ActivityWarning[] = [];
    const rates: number[] = [];
    await t.run({ callbacks: { onWarning: (w) => void warnings.push(w), onBatch: (p) => (p.rates ? rates.push(p.rates.length) : undefined) } });
    expect(warnings).toEqual([]);
    expect(rates.length).toBeGreaterThan(0);
    expect(rates.every((n) => n === 2)).toBe(true);
    const a = t.history[0]!.activity!;
    expect(a.samples).toBe(40);
    expect(a.layers.map((l) => l.name)).toEqual(['flatten_0', 'dense_0', 'neuron_0', 'dense_1', 'neuron_1']);
    // direct encoding: dense_0 sees the image once, 784 x 16 MACs; dense_1 is fed spikes
    expect(a.layers[1]!.macs).toBe(784 * 16);
    expect(a.layers[3]!.macs).toBe(0);
    expect(a.layers[3]!.synops).toBeCloseTo(a.layers[2]!.spikes! * 10, 6);
    expect(a.total.energy_j).toBeCloseTo((a.total.synops * 0.9 + a.total.macs * 4.6) * 1e-12, 18);
    expect(a.total.ann_macs).toBe(784 * 16 + 16 * 10);
    // training-mode rates over the epoch: one per neuron layer, and the layers did fire
    const tr = t.history[0]!.train_firing_rates!;
    expect(Object.keys(tr)).toEqual(['neuron_0', 'neuron_1']);
    expect(tr['neuron_0']).toBeGreaterThan(0);
    t.network.dispose();
    t.dispose();
  });

  it('lowers firing rates with a firing-rate penalty towards 0', async () => {
    const base = experiment(mlpModel(32, 4), { batch: 16, optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } });
    const rate = async (exp: Experiment) => {
      const t = trainer(exp, 160, 64);
      await t.run();
      const r = t.history[0]!.activity!.layers.find((l) => l.name === 'neuron_0')!.firing_rate!;
      t.network.dispose();
      t.dispose();
      return r;
    };
    const plain = await rate(base);
    const penalised = await rate({ ...base, rateReg: { target: 0, weight: 5 } });
    expect(plain).toBeGreaterThan(0);
    expect(penalised).toBeLessThan(plain * 0.8);
  });
});

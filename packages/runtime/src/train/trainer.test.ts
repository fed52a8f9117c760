import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../node/backend/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSnncError, type Experiment } from '@snnc/ir';
import { takeFirst, type Dataset } from '../data/index.js';
import { buildNetwork, type SnnNetwork } from '../model/index.js';
import { loadData } from '../node/train/data.js';
import { experiment, mlpModel } from './__tests__/experiments.js';
import { formatEpochLine, type EpochMetrics } from './metrics.js';
import { Trainer } from './trainer.js';

let mnist: { train: Dataset; test: Dataset };

beforeAll(async () => {
  await loadBackend('cpu');
  const d = await loadData({ kind: 'mnist' }, '.');
  mnist = { train: d.train, test: d.test };
});

function trainer(exp: Experiment, trainN: number, testN: number, wrap?: (n: SnnNetwork) => SnnNetwork): Trainer {
  const net = buildNetwork(exp.model, { seed: exp.seed });
  return new Trainer({ experiment: exp, network: wrap ? wrap(net) : net, train: takeFirst(mnist.train, trainN), test: takeFirst(mnist.test, testN) });
}

const withoutTimes = (h: readonly EpochMetrics[]) => h.map(({ total_time, train_time, test_time, images_per_s, ...rest }) => rest);
const weightsOf = (t: Trainer) => Object.fromEntries(Object.entries(t.network.namedWeights()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('Trainer (cpu)', () => {
  it('learns MNIST digits with a small dense SNN well above chance', async () => {
    const t = trainer(experiment(mlpModel(64, 4), { epochs: 2, optimizer: { kind: 'adam', lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } }), 4000, 1000);
    const lines: string[] = [];
    const out = await t.run({ callbacks: { onEpoch: (m) => void lines.push(formatEpochLine(m)) } });
    expect(out.status).toBe('completed');
    expect(out.history.length).toBe(2);
    const last = out.history[1]!;
    // chance is 0.10; 4000 images x 2 epochs reach about 0.88 (seed 1)
    expect(last.test_acc).toBeGreaterThan(0.8);
    expect(last.train_loss).toBeLessThan(out.history[0]!.train_loss);
    expect(last.max_test_acc).toBe(Math.max(out.history[0]!.test_acc, last.test_acc));
    expect(lines[1]).toMatch(/^epoch=1, train_loss=0\.\d{4}, train_acc=0\.\d{4}, test_loss=0\.\d{4}, test_acc=0\.\d{4}, max_test_acc=0\.\d{4}, total_time=\d+\.\d$/);
    t.network.dispose();
    t.dispose();
  });

  it('counts batches like the reference: drop_last for training, every test sample', async () => {
    const t = trainer(experiment(mlpModel(16, 2), { batch: 100 }), 1050, 250);
    const phases: string[] = [];
    const seen: number[] = [];
    await t.run({ callbacks: { onPhase: (p, e, n) => void phases.push(`${p}:${e}:${n}`), onBatch: (p) => (p.phase === 'test' ? seen.push(p.batch) : undefined) } });
    expect(phases).toEqual(['train:0:10', 'test:0:3']);
    expect(seen).toEqual([1, 2, 3]);
    expect(t.history[0]!.steps).toBe(10);
    t.network.dispose();
    t.dispose();
  });

  it('gives identical metrics and weights for the same seed, different ones for another seed', async () => {
    const exp = experiment(mlpModel(32, 2), { epochs: 2, batch: 32 });
    const a = trainer(exp, 320, 100);
    const b = trainer(exp, 320, 100);
    const c = trainer({ ...exp, seed: 2 }, 320, 100);
    await a.run();
    await b.run();
    await c.run();
    expect(withoutTimes(b.history)).toEqual(withoutTimes(a.history));
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(withoutTimes(c.history)).not.toEqual(withoutTimes(a.history));
    for (const t of [a, b, c]) {
      t.network.dispose();
      t.dispose();
    }
  });

  it('resumes from a snapshot taken mid-epoch exactly as an uninterrupted run', async () => {
    const exp = experiment(mlpModel(32, 2), {
      epochs: 3,
      batch: 32,
      schedule: { kind: 'cosine', minLr: 0 },
      optimizer: { kind: 'adamw', lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
      model: { ...mlpModel(32, 2), encoder: { kind: 'poisson', gain: 1 } },
    });
    const full = trainer(exp, 320, 100);
    await full.run();

    const first = trainer(exp, 320, 100);
    const abort = new AbortController();
    const out = await first.run({ signal: abort.signal, callbacks: { onBatch: (p) => (p.phase === 'train' && p.epoch === 1 && p.batch === 4 ? abort.abort() : undefined) } });
    expect(out.status).toBe('aborted');
    expect(first.history.length).toBe(1);
    const snap = first.snapshot();
    expect([snap.state.epoch, snap.state.batch, snap.state.step]).toEqual([1, 4, 14]);
    // a fresh network and trainer (other seed for the init, overwritten by the restore)
    const second = trainer({ ...exp }, 320, 100, (n) => n);
    second.restore(snap);
    first.network.dispose();
    first.dispose();
    const rest = await second.run();
    expect(rest.status).toBe('completed');
    expect(withoutTimes(second.history)).toEqual(withoutTimes(full.history));
    expect(weightsOf(second)).toEqual(weightsOf(full));
    for (const t of [full, second]) {
      t.network.dispose();
      t.dispose();
    }
  });

  it('keeps tf.memory().numTensors flat across batches and epochs', async () => {
    const t = trainer(experiment(mlpModel(16, 2), { epochs: 3, batch: 50 }), 200, 100);
    const perEpoch: number[] = [];
    const perBatch: number[] = [];
    await t.run({ callbacks: { onEpoch: () => void perEpoch.push(tf.memory().numTensors), onBatch: (p) => (p.phase === 'train' ? perBatch.push(p.numTensors) : undefined) } });
    expect(perEpoch.length).toBe(3);
    expect(new Set(perEpoch).size).toBe(1);
    // after the first update has created the optimizer's slots nothing more stays alive
    expect(new Set(perBatch.slice(1)).size).toBe(1);
    t.network.dispose();
    t.dispose();
  });

  it('stops with SNN7005 on a NaN loss before applying the update', async () => {
    let calls = 0;
    const poison = (n: SnnNetwork): SnnNetwork => ({
      ...n,
      model: n.model,
      trainable: n.trainable,
      forward: (x, o) => {
        const y = n.forward(x, o);
        if (!o.training || ++calls < 3) return y;
        const bad = tf.mul(y, NaN);
        y.dispose();
        return bad;
      },
    });
    const t = trainer(experiment(mlpModel(16, 2), { batch: 50 }), 500, 100, poison);
    let before: Record<string, number[]> = {};
    try {
      await t.run({ callbacks: { onBatch: (p) => (p.batch === 2 ? (before = weightsOf(t)) : undefined) } });
      expect.unreachable();
    } catch (e) {
      expect(isSnncError(e) && e.code).toBe('SNN7005');
      expect((e as Error).message).toBe('loss became NaN at epoch 0, step 2');
    }
    expect(weightsOf(t)).toEqual(before);
    t.network.dispose();
    t.dispose();
  });

  it('rejects a model that does not fit the data or the target code', () => {
    const small = mlpModel(8, 1);
    const wrongInput = { ...small, input: [1, 14, 14] };
    expect(() => trainer(experiment(wrongInput), 100, 100)).toThrow(/takes \[1, 14, 14\] but `mnist` gives \[1, 28, 28\]/);
    try {
      trainer(experiment(small, { target: 'binary' }), 100, 100);
      expect.unreachable();
    } catch (e) {
      expect(isSnncError(e) && e.code).toBe('SNN4003');
    }
  });
});

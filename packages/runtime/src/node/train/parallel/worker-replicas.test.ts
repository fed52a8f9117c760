import * as tf from '@tensorflow/tfjs-core';
import { Random, type Experiment } from '@snnc/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset, type Dataset } from '../../../data/index.js';
import { buildNetwork } from '../../../model/index.js';
import { makeModel } from '../../../model/__tests__/models.js';
import { experiment } from '../../../train/__tests__/experiments.js';
import { Trainer } from '../../../train/trainer.js';
import { splitBatch } from '../../../train/parallel/index.js';
import { loadBackend } from '../../backend/index.js';
import { WorkerReplicas } from './worker-replicas.js';

/** Random 8x8 one-channel images in 3 classes: enough to move every weight, small enough to be fast. */
function tinyData(count: number, seed: number): Dataset {
  const r = new Random(seed);
  const images = Uint8Array.from({ length: count * 64 }, () => r.int(256));
  const labels = Int32Array.from({ length: count }, () => r.int(3));
  return makeDataset({ images, labels, count, height: 8, width: 8, channels: 1, classes: 3 });
}

/** Conv with batch norm (the case that needs the whole batch's statistics), then dense; T 2. */
const model = makeModel([1, 8, 8], 2, [
  { kind: 'conv2d', filters: 4, kernel: 3, padding: 1 },
  { kind: 'batchnorm' },
  { kind: 'neuron' },
  { kind: 'maxpool', size: 2 },
  { kind: 'flatten' },
  { kind: 'dense', units: 3 },
  { kind: 'neuron' },
]);
// Plain SGD: Adam divides by the gradients' running size, which turns float rounding in
// near-zero gradients into steps of a full learning rate and hides what is compared here.
const exp: Experiment = experiment(model, { batch: 8, epochs: 2, optimizer: { kind: 'sgd', lr: 0.5, momentum: 0, nesterov: false, weightDecay: 0 } });
const train = tinyData(24, 1);
const test = tinyData(8, 2);

async function trainWith(replicas: WorkerReplicas | undefined): Promise<{ weights: Record<string, Float32Array>; losses: number[]; accs: number[] }> {
  const network = buildNetwork(exp.model, { seed: exp.seed });
  const t = new Trainer({ experiment: exp, network, train, test, ...(replicas ? { replicas } : {}) });
  try {
    const out = await t.run();
    const weights: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(network.namedWeights())) weights[k] = (await v.data()) as Float32Array;
    return { weights, losses: out.history.map((m) => m.train_loss), accs: out.history.map((m) => m.train_acc) };
  } finally {
    t.dispose();
    network.dispose();
  }
}

const started: WorkerReplicas[] = [];

beforeAll(async () => {
  await loadBackend('wasm');
});

afterAll(async () => {
  await Promise.all(started.map((r) => r.close()));
});

describe('data-parallel training in worker threads', () => {
  it('splits a batch into contiguous, nearly equal shards', () => {
    const host = { x: Float32Array.from({ length: 8 * 2 }, (_, i) => i), labels: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), size: 8 };
    const shards = splitBatch(host, 3);
    expect(shards.map((s) => s.size)).toEqual([3, 3, 2]);
    expect(Array.from(shards[1]!.labels)).toEqual([3, 4, 5]);
    expect(Array.from(shards[2]!.x)).toEqual([12, 13, 14, 15]);
    expect(() => splitBatch(host, 9)).toThrow(/cannot cut 8 samples into 9/);
  });

  it('2 and 3 replicas train to the weights, running statistics and losses of 1, within float tolerance', async () => {
    const one = await trainWith(undefined);
    for (const n of [2, 3]) {
      const replicas = await WorkerReplicas.start({ workers: n, experiment: exp, classes: 3, sampleShape: [8, 8, 1], backend: 'wasm' });
      started.push(replicas);
      const many = await trainWith(replicas);
      await replicas.close();
      expect(Object.keys(many.weights).sort()).toEqual(Object.keys(one.weights).sort());
      for (const [name, w] of Object.entries(one.weights)) {
        const v = many.weights[name]!;
        let worst = 0;
        for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i]! - v[i]!));
        expect(worst, `${n} replicas: ${name}`).toBeLessThan(2e-4);
      }
      many.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 5));
      expect(many.accs).toEqual(one.accs);
    }
    // the weights really moved, so equal weights are not trivially equal
    const fresh = buildNetwork(exp.model, { seed: exp.seed });
    const k0 = (await fresh.namedWeights()['conv2d_0/kernel']!.data()) as Float32Array;
    fresh.dispose();
    expect(Math.max(...one.weights['conv2d_0/kernel']!.map((x, i) => Math.abs(x - k0[i]!)))).toBeGreaterThan(1e-3);
  }, 120_000);

  it('fails the step with the replica\'s message instead of hanging when a replica cannot compute', async () => {
    const replicas = await WorkerReplicas.start({ workers: 2, experiment: exp, classes: 3, sampleShape: [8, 8, 1], backend: 'wasm' });
    started.push(replicas);
    // a shard whose images have the wrong size: the worker's tensor() throws
    const bad = { weights: {}, shard: { x: new Float32Array(5), labels: Int32Array.from([0, 1]), size: 2 }, globalBatch: 4, rng: [1, 2, 3, 4, null] };
    await expect(replicas.compute([bad])).rejects.toThrow(/replica 1:/);
    await replicas.close();
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { takeFirst, type Dataset } from '../data/index.js';
import { buildNetwork } from '../model/index.js';
import { makeModel } from '../model/__tests__/models.js';
import { loadBackend } from '../node/backend/index.js';
import { loadData } from '../node/train/data.js';
import { experiment } from '../train/__tests__/experiments.js';
import { Trainer } from '../train/trainer.js';
import { useWebgpu } from './__tests__/webgpu.js';

/**
 * What `snnc run --backend webgpu` does, through the real Trainer (its asynchronous reads are
 * what webgpu needs in Node): a first epoch on a small MNIST subset gives the same training
 * and test losses on webgpu (a software driver here) as on wasm. Skipped, with the reason
 * printed, where no webgpu driver can be had.
 */
const webgpuDetail = await useWebgpu();
await loadBackend('cpu');

// A conv SNN like the README's main job, small enough for a software GPU: conv 8 -> BN -> LIF
// -> avgpool (average pooling: max pooling over 0/1 spike maps breaks ties differently per
// backend, which is allowed and would make the gradients differ by design).
const model = makeModel([1, 28, 28], 2, [
  { kind: 'conv2d', filters: 8, kernel: 3, padding: 1 },
  { kind: 'batchnorm' },
  { kind: 'neuron' },
  { kind: 'avgpool', size: 4 },
  { kind: 'flatten' },
  { kind: 'dense', units: 10 },
  { kind: 'neuron' },
]);

async function firstEpoch(train: Dataset, test: Dataset): Promise<{ trainLoss: number; testLoss: number }> {
  const exp = experiment(model, { batch: 16, optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } });
  const t = new Trainer({ experiment: exp, network: buildNetwork(exp.model, { seed: exp.seed }), train, test });
  try {
    const out = await t.run();
    expect(out.status).toBe('completed');
    const m = out.history[0]!;
    return { trainLoss: m.train_loss, testLoss: m.test_loss };
  } finally {
    t.network.dispose();
    t.dispose();
  }
}

describe.skipIf(webgpuDetail === null)(`snnc run parity: first epoch through the Trainer, webgpu (${webgpuDetail ?? 'none'}) against wasm`, () => {
  it('gives the same first-epoch train and test loss', async () => {
    const d = await loadData({ kind: 'mnist' }, '.');
    const train = takeFirst(d.train, 96);
    const test = takeFirst(d.test, 48);
    await loadBackend('wasm');
    const wasm = await firstEpoch(train, test);
    await useWebgpu();
    const gpu = await firstEpoch(train, test);
    expect(Number.isFinite(wasm.trainLoss)).toBe(true);
    expect(Math.abs(gpu.trainLoss - wasm.trainLoss)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(wasm.trainLoss)));
    expect(Math.abs(gpu.testLoss - wasm.testLoss)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(wasm.testLoss)));
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { firstEpochLoss, lossAndGradients, maxDiff, tinyModel } from './__tests__/tiny.js';
import { useWebgpu } from './__tests__/webgpu.js';

/**
 * Backend conformance: the same small model, seed and batch give the same loss and
 * gradients on cpu (the reference), wasm and webgpu, and the same first-epoch training
 * losses on wasm and webgpu. webgpu runs on a software driver here
 * (tools/setup-webgpu-driver.sh); without one its cases are skipped with the reason printed.
 */

type Grads = Awaited<ReturnType<typeof lossAndGradients>>;

async function on(backend: 'cpu' | 'wasm' | 'webgpu', f: () => Promise<Grads>): Promise<Grads | null> {
  if (backend === 'webgpu') {
    if ((await useWebgpu()) === null) return null;
  } else await loadBackend(backend);
  return f();
}


const webgpuDetail = await useWebgpu();
await loadBackend('cpu');

describe('backend conformance: one batch of a tiny conv SNN', () => {
  const model = tinyModel();
  let ref: Grads;

  it('cpu reference has a finite loss and non-zero gradients for every parameter', async () => {
    ref = (await on('cpu', () => lossAndGradients(model, 8, 3)))!;
    expect(Number.isFinite(ref.loss)).toBe(true);
    const names = Object.keys(ref.grads);
    expect(names.length).toBe(8); // conv, 2 dense: kernel + bias; batchnorm: gamma + beta
    // a conv bias followed by batchnorm has a zero gradient in exact arithmetic (BN removes the mean)
    for (const n of names.filter((x) => x !== 'conv2d_0/bias')) expect(maxDiff(new Float32Array(ref.grads[n]!.length), ref.grads[n]!).scale, n).toBeGreaterThan(0);
  });

  it.each(['wasm', 'webgpu'] as const)('%s: same loss and gradients as cpu (float32 rounding)', async (backend) => {
    if (backend === 'webgpu' && webgpuDetail === null) return; // reason printed by useWebgpu
    const got = (await on(backend, () => lossAndGradients(model, 8, 3)))!;
    expect(tf.getBackend()).toBe(backend);
    expect(Math.abs(got.loss - ref.loss)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.loss)));
    expect(Object.keys(got.grads).sort()).toEqual(Object.keys(ref.grads).sort());
    for (const [name, g] of Object.entries(ref.grads)) {
      const { diff, scale } = maxDiff(got.grads[name]!, g);
      expect(diff, `${name} on ${backend}: max |diff| ${diff} at scale ${scale}`).toBeLessThanOrEqual(1e-4 * Math.max(1e-3, scale));
    }
  });
});

describe.skipIf(webgpuDetail === null)(`training parity: first-epoch loss, webgpu (${webgpuDetail ?? 'none'}) against wasm`, () => {
  it('the same per-step losses over a first epoch (32 samples, batch 8, Adam)', async () => {
    await loadBackend('wasm');
    const wasm = await firstEpochLoss(tinyModel(), 32, 8, 5);
    await useWebgpu();
    const gpu = await firstEpochLoss(tinyModel(), 32, 8, 5);
    expect(gpu.perStep).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(gpu.perStep[i]! - wasm.perStep[i]!), `step ${i}`).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(gpu.mean - wasm.mean)).toBeLessThanOrEqual(1e-4);
    // training moved the weights: the losses are not all the same
    expect(new Set(wasm.perStep.map((l) => l.toFixed(6))).size).toBeGreaterThan(1);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

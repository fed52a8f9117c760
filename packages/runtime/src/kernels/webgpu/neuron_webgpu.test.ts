import * as tf from '@tensorflow/tfjs-core';
import { Random, type NeuronDef } from '@snnc/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, useWebgpu } from '../../conformance/__tests__/webgpu.js';
import { neuronDef } from '../../model/__tests__/models.js';
import { buildNeuron } from '../../model/layers/neuron.js';
import { loadBackend } from '../../node/backend/index.js';
import { fusedNeuronAvailable } from '../fused_neuron.js';
import { neuronConfigs } from '../__tests__/neuron-configs.js';

const detail = await useWebgpu();


interface Result {
  s: Float32Array;
  g: Float32Array;
  shape: number[];
  gShape: number[];
}

/** Spikes and d(sum(spikes * r))/dx of one neuron layer, on the active backend. */
async function run(def: NeuronDef, impl: 'fused' | 'composed', T: number, rows: number, feats: number, folded: boolean, seed: number): Promise<Result> {
  const rng = new Random(seed);
  const inRows = folded ? T * rows : rows;
  const xv = Float32Array.from({ length: inRows * feats }, () => rng.uniform(-0.5, 2.5));
  const rv = Float32Array.from({ length: T * rows * feats }, () => rng.uniform(-1, 1));
  const ctx = { training: true, rng, steps: T, batch: rows, folded };
  const layer = buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [feats], outShape: [feats], neuron: def }, impl);
  const [s, g] = tf.tidy(() => {
    const x = tf.tensor2d(xv, [inRows, feats]);
    const r = tf.tensor2d(rv, [T * rows, feats]);
    const spikes = layer.apply(x, ctx);
    const grad = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, ctx), r)))(x);
    return [spikes, grad];
  });
  const shape = s.shape;
  const gShape = g.shape;
  const [sv, gv] = await readAll([s, g]);
  return { s: sv!, g: gv!, shape, gShape };
}

/**
 * Spikes equal, except where the membrane sits within float32 rounding of the threshold
 * (the GPU may contract a*b+c into one fused multiply-add where the composed ops round
 * twice); gradients within float32 rounding of the composed ops' autodiff.
 */
function expectClose(a: Result, b: Result): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.gShape).toEqual(b.gShape);
  let flips = 0;
  for (let k = 0; k < a.s.length; k++) if (a.s[k] !== b.s[k]) flips++;
  expect(flips).toBe(0);
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < a.g.length; k++) {
    scale = Math.max(scale, Math.abs(b.g[k]!));
    worst = Math.max(worst, Math.abs(a.g[k]! - b.g[k]!));
  }
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(4e-6 * Math.max(1, scale));
}

describe.skipIf(detail === null)(`fused neuron as WGSL compute shaders (${detail ?? 'no webgpu'})`, () => {
  beforeAll(async () => {
    await useWebgpu();
  });

  it('is registered for webgpu and chosen by the auto neuron path for IF/LIF', () => {
    expect(tf.getBackend()).toBe('webgpu');
    expect(fusedNeuronAvailable('webgpu')).toBe(true);
    const mk = (d: NeuronDef) => buildNeuron({ kind: 'neuron', id: 'n', inShape: [1], outShape: [1], neuron: d }, 'auto');
    expect(mk(neuronDef('lif')).usesFused(false)).toBe(true);
    expect(mk(neuronDef('if')).usesFused(false)).toBe(true);
    expect(mk(neuronDef('plif')).usesFused(false)).toBe(false);
  });

  it.each(neuronConfigs().map((d, i) => [i, d] as const))('config %i: equals the composed ops (spikes exact, gradient to float32 rounding)', async (i, def) => {
    const T = 1 + (i % 6);
    expectClose(await run(def, 'fused', T, 4, 16, true, 100 + i), await run(def, 'composed', T, 4, 16, true, 100 + i));
  });

  it.each(neuronConfigs().filter((_, i) => i % 4 === 0).map((d, i) => [i, d] as const))(
    'config %i with a static input: spikes [T*B, ...], gradient [B, ...] summed over T',
    async (i, def) => {
      const T = 2 + i;
      const f = await run(def, 'fused', T, 6, 4, false, 7 + i);
      const c = await run(def, 'composed', T, 6, 4, false, 7 + i);
      expect(f.shape).toEqual([T * 6, 4]);
      expect(f.gShape).toEqual([6, 4]);
      expectClose(f, c);
    },
  );

  it('covers many workgroups (n = 4100 neurons, not a multiple of 64) and T = 16', async () => {
    const def = neuronDef('lif', { tau: 2, surrogate: { kind: 'atan', alpha: 2 } });
    expectClose(await run(def, 'fused', 16, 41, 100, true, 5), await run(def, 'composed', 16, 41, 100, true, 5));
  });

  it('matches the cpu backend\'s JS loops', async () => {
    const def = neuronDef('lif', { tau: 3.5, reset: 'soft', surrogate: { kind: 'sigmoid', alpha: 4 } });
    const gpu = await run(def, 'fused', 5, 8, 16, true, 11);
    await loadBackend('cpu');
    const cpu = await run(def, 'fused', 5, 8, 16, true, 11);
    await useWebgpu();
    expectClose(gpu, cpu);
  });

  it('does not leak tensors', async () => {
    const def = neuronDef('lif');
    await run(def, 'fused', 4, 4, 8, true, 1);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await run(def, 'fused', 4, 4, 8, true, k);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

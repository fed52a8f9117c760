import * as tf from '@tensorflow/tfjs-core';
import { builtinAsEquations, Random, type BuiltinNeuron, type NeuronDef } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend, type BackendName } from '../node/backend/index.js';
import { buildNeuron } from '../model/layers/neuron.js';
import { neuronDef } from '../model/__tests__/models.js';
import { fusedNeuronAvailable } from './fused_neuron.js';
import { neuronConfigs } from './__tests__/neuron-configs.js';


function runBoth(def: NeuronDef, T: number, n: number, seed: number, other: 'fused' | 'bptt' = 'fused') {
  const rng = new Random(seed);
  const xv = Float32Array.from({ length: T * n }, () => rng.uniform(-0.5, 2.5));
  const rv = Float32Array.from({ length: T * n }, () => rng.uniform(-1, 1));
  const ctx = { training: true, rng, steps: T, batch: n / 4, folded: true };
  const layer = (impl: 'fused' | 'bptt' | 'composed') => buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [4], outShape: [4], neuron: def }, impl);
  const one = (impl: 'fused' | 'bptt' | 'composed') =>
    tf.tidy(() => {
      const l = layer(impl);
      const x = tf.tensor2d(xv, [T * (n / 4), 4]);
      const r = tf.tensor2d(rv, [T * (n / 4), 4]);
      const s = l.apply(x, ctx);
      const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(l.apply(xi, ctx), r)))(x);
      return { s: s.dataSync(), g: g.dataSync() };
    });
  return { fused: one(other), composed: one('composed') };
}

const backends: BackendName[] = ['cpu', 'wasm'];

function expectSame(a: { s: ArrayLike<number>; g: ArrayLike<number> }, b: { s: ArrayLike<number>; g: ArrayLike<number> }) {
  expect(Array.from(a.s)).toEqual(Array.from(b.s));
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < a.g.length; k++) {
    scale = Math.max(scale, Math.abs(b.g[k]!));
    worst = Math.max(worst, Math.abs(a.g[k]! - b.g[k]!));
  }
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(2e-6 * Math.max(1, scale));
}

describe('bptt neuron (tfjs ops, backward from the plan\'s derivatives)', () => {
  it.each([...neuronConfigs(), neuronDef('alif'), neuronDef('alif', { reset: 'soft', beta: 0.5 })].map((d, i) => [i, d] as const))('config %i: equals autodiff on cpu, wasm and (if built) tensorflow', async (i, def) => {
    for (const backend of ['cpu', 'wasm', 'tensorflow'] as const) {
      try {
        await loadBackend(backend);
      } catch {
        continue; // tensorflow is optional (tools/build-tfjs-node.sh)
      }
      const T = 1 + (i % 6);
      const { fused: bptt, composed } = runBoth(def, T, 32, 300 + i, 'bptt');
      expectSame(bptt, composed);
    }
  });
});

describe('bptt neuron memory', () => {
  it('forward + backward leave only the gradient behind (multi-state, refractory, nonlinear; T 1 and 4)', async () => {
    await loadBackend('cpu');
    const refractory: NeuronDef = { ...builtinAsEquations(neuronDef('lif') as BuiltinNeuron), refractory: { unit: 'steps', value: 2 } };
    const quadratic: NeuronDef = {
      ...builtinAsEquations(neuronDef('lif') as BuiltinNeuron),
      equations: [{ target: 'v', form: 'assign', rhs: { kind: 'binary', op: '*', left: { kind: 'var', name: 'x' }, right: { kind: 'var', name: 'x' } } }],
    };
    for (const def of [neuronDef('lif'), neuronDef('alif'), refractory, quadratic]) {
      for (const T of [1, 4]) {
        const x = tf.randomUniform([T * 64, 32], 0, 2);
        const profile = async (impl: 'bptt') => {
          const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [32], outShape: [32], neuron: def }, impl);
          const ctx = { training: true, rng: new Random(1), steps: T, batch: 64, folded: true };
          let g: tf.Tensor | null = null;
          const info = await tf.profile(() => {
            g = tf.grad((xi: tf.Tensor) => tf.sum(layer.apply(xi, ctx)))(x);
          });
          g!.dispose();
          return info;
        };
        expect((await profile('bptt')).newTensors).toBe(1);
        x.dispose();
      }
    }
  });
});

describe.each(backends)('fused neuron kernel on %s', (backend) => {
  it('is registered and used for IF/LIF/ALIF, not for PLIF (its tau is learned)', async () => {
    await loadBackend(backend);
    expect(fusedNeuronAvailable()).toBe(true);
    const mk = (d: NeuronDef) => buildNeuron({ kind: 'neuron', id: 'n', inShape: [1], outShape: [1], neuron: d }, 'auto');
    expect(mk(neuronDef('lif')).usesFused(false)).toBe(true);
    expect(mk(neuronDef('if')).usesFused(false)).toBe(true);
    expect(mk(neuronDef('alif')).usesFused(false)).toBe(true);
    expect(mk(neuronDef('lif')).usesFused(true)).toBe(false); // membrane wanted
    expect(mk(neuronDef('plif')).usesFused(false)).toBe(false);
    expect(mk(neuronDef('plif')).path(false)).toBe('composed');
    expect(mk(neuronDef('alif', { detachReset: true })).path(false)).toBe('composed'); // see neuronPlanFor
  });

  it('ALIF (three states, a threshold that adapts) fused equals its composed ops', async () => {
    await loadBackend(backend);
    for (const [i, def] of [neuronDef('alif'), neuronDef('alif', { reset: 'soft', beta: 0.5, tauAdapt: 4 }), neuronDef('alif', { decayInput: false, resetValue: -0.25 })].entries()) {
      const { fused, composed } = runBoth(def, 3 + 2 * i, 32, 40 + i);
      expectSame(fused, composed);
    }
  });

  it.each(neuronConfigs().map((d, i) => [i, d] as const))('config %i: spikes identical, gradients within float32 rounding', async (i, def) => {
    await loadBackend(backend);
    const T = 1 + (i % 6);
    const { fused, composed } = runBoth(def, T, 64, 100 + i);
    expectSame(fused, composed);
  });

  // 600 neurons: two full blocks of the kernels' blocked loops (JS_NEURON_BLOCK = 256) and a part one.
  it.each(neuronConfigs().filter((_, i) => i % 3 === 0).map((d, i) => [i, d] as const))('config %i over several neuron blocks: spikes identical, gradients within float32 rounding', async (i, def) => {
    await loadBackend(backend);
    const { fused, composed } = runBoth(def, 2 + (i % 4), 600, 300 + i);
    expectSame(fused, composed);
  });

  it.each(neuronConfigs().filter((_, i) => i % 4 === 0).map((d, i) => [i, d] as const))(
    'config %i with a static input (direct encoding): same spikes, gradient summed over T',
    async (i, def) => {
      await loadBackend(backend);
      const T = 2 + i;
      const rows = i % 2 === 0 ? 6 : 150; // 150 rows: 600 neurons, more than two blocks of the blocked loops
      const rng = new Random(7 + i);
      const xv = Float32Array.from({ length: rows * 4 }, () => rng.uniform(-0.5, 2.5));
      const rv = Float32Array.from({ length: T * rows * 4 }, () => rng.uniform(-1, 1));
      const ctx = { training: true, rng, steps: T, batch: rows, folded: false };
      const one = (impl: 'fused' | 'bptt' | 'composed') =>
        tf.tidy(() => {
          const l = buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [4], outShape: [4], neuron: def }, impl);
          const x = tf.tensor2d(xv, [rows, 4]);
          const r = tf.tensor2d(rv, [T * rows, 4]);
          const s = l.apply(x, ctx);
          const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(l.apply(xi, ctx), r)))(x);
          return { s: s.dataSync(), shape: s.shape, g: g.dataSync(), gShape: g.shape };
        });
      const f = one('fused');
      const c = one('composed');
      const b = one('bptt');
      expect(b.shape).toEqual([T * rows, 4]);
      expect(Array.from(b.s)).toEqual(Array.from(c.s));
      for (let k = 0; k < b.g.length; k++) expect(Math.abs(b.g[k]! - c.g[k]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(c.g[k]!)));
      expect(f.shape).toEqual([T * rows, 4]);
      expect(f.gShape).toEqual([rows, 4]);
      expect(Array.from(f.s)).toEqual(Array.from(c.s));
      for (let k = 0; k < f.g.length; k++) expect(Math.abs(f.g[k]! - c.g[k]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(c.g[k]!)));
    },
  );

  it('does not leak tensors across training-style calls', async () => {
    await loadBackend(backend);
    const def = neuronDef('lif');
    runBoth(def, 4, 16, 1);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) runBoth(def, 4, 16, k);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

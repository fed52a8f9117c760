import * as tf from '@tensorflow/tfjs-core';
import { compile, libraryNeuron, libraryNeuronNames } from '@snnc/dsl';
import { Random, type EquationNeuron } from '@snnc/ir';
import { buildNeuron, generatedKernel, neuronPlanFor, takeFirst, Trainer, buildNetwork, type Dataset } from '@snnc/runtime';
import { loadBackend, loadData } from '@snnc/runtime/node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snnc } from './helpers.js';

/**
 * Every standard-library neuron through the runtime's composed path: a finite-difference check
 * of its gradient and a few steps of MNIST training, at tiny sizes. (The dsl and the runtime
 * meet here, in the package that depends on both.)
 */

/** An input scale that drives each neuron near its firing range (Izhikevich and AdEx use the papers' units). */
const DRIVE: Record<string, number> = { Izhikevich: 12, AdEx: 600, ResonateAndFire: 20, Integrator: 300 };

let mnist: { train: Dataset; test: Dataset };

beforeAll(async () => {
  await loadBackend('cpu');
  const d = await loadData({ kind: 'mnist' }, '.');
  mnist = { train: d.train, test: d.test };
});

describe('standard-library neurons in the runtime', () => {
  const names = libraryNeuronNames();

  it.each(['IF', 'LIF', 'PLIF', 'ALIF'])('the library definition of %s behaves as the built-in %s (spikes and membrane)', (name) => {
    const builtin = compile(`neuron n = ${name}`, { file: 'b.snn' }).ir!.neurons[0]!;
    expect(builtin.kind).not.toBe('equations');
    const rng = new Random(21);
    const T = 12;
    const n = 5;
    const x = Array.from({ length: T * n }, () => 1.6 * rng.uniform());
    const run = (def: typeof builtin) =>
      tf.tidy(() => {
        const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [n], outShape: [n], neuron: def }, 'composed');
        const r = layer.run(tf.tensor2d(x, [T, n]), { training: false, rng: new Random(0), steps: T, batch: 1, folded: true }, true);
        return { spikes: Array.from(r.spikes.dataSync()), membrane: Array.from(r.membrane!.dataSync()) };
      });
    const a = run(libraryNeuron(name)!);
    const b = run(builtin);
    expect(a.spikes).toEqual(b.spikes);
    a.membrane.forEach((h, i) => expect(h).toBeCloseTo(b.membrane[i]!, 5));
  });

  it('the library PLIF learns w like the built-in PLIF: same dL/dw from the same start', () => {
    const builtin = compile('neuron n = PLIF(tau: 3.0)', { file: 'b.snn' }).ir!.neurons[0]!;
    const lib = { ...libraryNeuron('PLIF')!, params: { ...libraryNeuron('PLIF')!.params, tau: 3 } };
    const T = 4;
    const n = 3;
    const x = tf.tensor2d([0.3, 0.1, 0.2, 0.4, 0.1, 0.2, 0.25, 0.3, 0.05, 0.1, 0.2, 0.3], [T, n]);
    const dw = (d: typeof builtin) => {
      const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [n], outShape: [n], neuron: d }, 'composed');
      const w = layer.weights['w']!;
      const ctx = { training: true, rng: new Random(0), steps: T, batch: 1, folded: true };
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.run(x, ctx, true).membrane!) as tf.Scalar, [w]);
      const out = { w: w.dataSync()[0]!, g: grads[w.name]!.dataSync()[0]! };
      tf.dispose([value, grads[w.name]!]);
      return out;
    };
    const a = dw(lib);
    const b = dw(builtin);
    expect(a.w).toBeCloseTo(b.w, 6);
    expect(b.g).not.toBe(0);
    expect(a.g).toBeCloseTo(b.g, 4);
    x.dispose();
  });

  it.each(names)('%s: autodiff gradient of the membrane matches a finite difference', (name) => {
    // detach_reset: the reset is then constant in the backward pass, as in a finite difference
    const def: EquationNeuron = { ...libraryNeuron(name)!, detachReset: true };
    const T = 6;
    const n = 3;
    const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [n], outShape: [n], neuron: def }, 'composed');
    const rng = new Random(11);
    const drive = DRIVE[name] ?? 1.2;
    const x0 = Array.from({ length: T * n }, () => drive * (0.3 + 0.7 * rng.uniform()));
    const ctx = { training: true, rng: new Random(0), steps: T, batch: 1, folded: true };
    const loss = (x: tf.Tensor) => tf.sum(layer.run(x, ctx, true).membrane!) as tf.Scalar;
    const g = tf.tidy(() => Array.from(tf.grad(loss)(tf.tensor2d(x0, [T, n])).dataSync()));
    const at = (i: number, d: number) => tf.tidy(() => loss(tf.tensor2d(x0.map((v, k) => (k === i ? v + d : v)), [T, n])).dataSync()[0]!);
    const scale = Math.max(...g.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (const i of [0, 4, 8, 13]) {
      const h = 1e-2 * drive;
      const fd = (at(i, h) - at(i, -h)) / (2 * h);
      expect(Math.abs(g[i]! - fd)).toBeLessThan(0.02 * scale + 1e-4);
    }
  });

  it.each(names)('%s: the kernels generated from its definition (fused cpu/wasm, plan BPTT) give the spikes and gradients of its composed ops', async (name) => {
    const def = libraryNeuron(name)!;
    const T = 9;
    const n = 8;
    const rng = new Random(17);
    const drive = DRIVE[name] ?? 1.2;
    const xv = Array.from({ length: T * n }, () => drive * (0.2 + 1.3 * rng.uniform()));
    const rv = Array.from({ length: T * n }, () => rng.uniform(-1, 1));
    const run = (impl: 'fused' | 'bptt' | 'composed') =>
      tf.tidy(() => {
        const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [n], outShape: [n], neuron: def }, impl);
        const ctx = { training: true, rng: new Random(0), steps: T, batch: 1, folded: true };
        const x = tf.tensor2d(xv, [T, n]);
        const r = tf.tensor2d(rv, [T, n]);
        const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, ctx), r)))(x);
        return { y: Array.from(layer.apply(x, ctx).dataSync()), g: Array.from(g.dataSync()), path: layer.path(false) };
      });
    const planned = neuronPlanFor(def);
    for (const backend of ['cpu', 'wasm'] as const) {
      await loadBackend(backend);
      const composed = run('composed');
      const others = planned === null ? [] : [run('bptt'), ...(generatedKernel(planned.lifted) ? [run('fused')] : [])];
      if (name !== 'PLIF') expect(others.map((o) => o.path)).toEqual(['bptt', 'fused']); // PLIF learns its tau: composed only
      const scale = Math.max(1e-6, ...composed.g.map(Math.abs));
      for (const o of others) {
        o.y.forEach((y, i) => expect(y).toBeCloseTo(composed.y[i]!, 4));
        o.g.forEach((g, i) => expect(Math.abs(g - composed.g[i]!)).toBeLessThan(1e-4 * scale));
      }
    }
    await loadBackend('cpu');
  });

  it('the generated kernels file is up to date with the definitions (node tools/codegen/neuron-kernels.mjs)', () => {
    const r = spawnSync(process.execPath, ['tools/codegen/neuron-kernels.mjs', '--check'], { cwd: path.resolve(import.meta.dirname, '../../..'), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(names)('%s: a tiny MNIST model with it as hidden layer trains (loss falls, gradient reaches the first layer)', async (name) => {
    // A non-spiking LI readout (decode membrane) gives every hidden neuron a gradient path, also
    // those that fire rarely at unit-scale inputs (Izhikevich and AdEx work in mV and pA).
    const src = `model m(input: [1, 28, 28], steps: 4) {\n  flatten -> dense(32) -> ${name} -> dense(10) -> LI(tau: 2ms)\n  decode membrane\n}\n\nexperiment e {\n  model: m\n  loss: cross_entropy\n  optimizer: adam(lr: 0.01)\n  batch: 32\n  epochs: 3\n  seed: 1\n}\n`;
    const r = compile(src, { file: 'tiny.snn' });
    expect(r.diagnostics).toEqual([]);
    const exp = r.ir!.experiments[0]!;
    const net = buildNetwork(exp.model, { seed: exp.seed });
    const first = () => Array.from(Object.entries(net.namedWeights()).find(([k]) => k.startsWith('dense_0/'))![1].dataSync());
    const before = first();
    const t = new Trainer({ experiment: exp, network: net, train: takeFirst(mnist.train, 256), test: takeFirst(mnist.test, 64) });
    const out = await t.run({});
    expect(out.status).toBe('completed');
    const losses = out.history.map((h) => h.train_loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    const after = first();
    expect(after.some((w, i) => w !== before[i])).toBe(true);
    net.dispose();
    t.dispose();
  }, 60_000);

  it('snnc run trains examples/neurons/integrate-and-fire.snn (a user-defined neuron) on MNIST above chance', async () => {
    const runs = mkdtempSync(path.join(os.tmpdir(), 'snnc-neurons-'));
    const r = await snnc(['run', 'examples/neurons/integrate-and-fire.snn', '--backend', 'cpu', '--train-limit', '800', '--test-limit', '200', '--batch', '16', '--runs-dir', runs]);
    expect(r.code).toBe(0);
    const acc = Number(/test_acc=([0-9.]+)/.exec(r.stdout)?.[1]);
    expect(acc).toBeGreaterThan(0.25); // chance is 0.10
  }, 120_000);
});

import * as tf from '@tensorflow/tfjs-core';
import { libraryNeuron, libraryNeuronNames } from '@snnc/dsl';
import { builtinAsEquations, liftConstants, neuronKernelPlan, planHash, Random, type EquationNeuron, type LiftedPlan, type Surrogate, type SurrogateKind } from '@snnc/ir';
import { fusedNeuron, fusedNeuronRuns, NEURON_FORWARD } from '@snnc/runtime';
import { loadBackend, loadNativeOps, tensorflowWithNativeOps } from '@snnc/runtime/node';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The native TensorFlow neuron ops (packages/runtime/native/, tools/build-native-ops.sh) against
 * the generated JS kernels the cpu backend runs: both are emitted from the same plans, so every
 * library neuron and built-in gives the same spikes (bit for bit) and the same input gradients.
 * Runs where tfjs-node and the native library are built (tools/build-tfjs-node.sh builds both);
 * skipped elsewhere, like every tensorflow test. (Here because the library neurons come from
 * @snnc/dsl, which the runtime does not depend on.)
 */

/** Whether tfjs-node and the native library load here: the tests are skipped (and say so) where not. */
const native = await tensorflowWithNativeOps();

beforeAll(async () => {
  await loadBackend('cpu');
});

/** An input scale that drives each neuron near its firing range (Izhikevich and AdEx use the papers' units). */
const DRIVE: Record<string, number> = { Izhikevich: 12, AdEx: 600, ResonateAndFire: 20, Integrator: 300 };

interface Case {
  label: string;
  lifted: LiftedPlan;
  surrogate: Surrogate;
  drive: number;
}

function planOf(def: EquationNeuron): LiftedPlan | null {
  const r = neuronKernelPlan(def);
  return r.ok ? liftConstants(r.plan) : null;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const name of libraryNeuronNames()) {
    for (const detachReset of [false, true]) {
      const def = { ...libraryNeuron(name)!, detachReset };
      const lifted = planOf(def);
      if (lifted !== null) out.push({ label: `${name}${detachReset ? ' detach_reset' : ''}`, lifted, surrogate: def.surrogate, drive: DRIVE[name] ?? 1.6 });
    }
  }
  const surrogate: Surrogate = { kind: 'atan', alpha: 2 };
  for (const kind of ['if', 'lif', 'alif'] as const) {
    for (const reset of ['hard', 'soft'] as const) {
      const def = builtinAsEquations({ kind, name: kind, threshold: 1, reset, resetValue: 0, detachReset: false, surrogate, tau: 2, decayInput: true, tauAdapt: 20, beta: 0.2 });
      out.push({ label: `${kind} ${reset} reset`, lifted: planOf(def)!, surrogate, drive: 1.6 });
    }
  }
  // Every surrogate, on the LIF with a non-trivial threshold and reset value.
  for (const kind of ['atan', 'sigmoid', 'fast_sigmoid', 'triangle', 'piecewise_quadratic'] as SurrogateKind[]) {
    const s: Surrogate = { kind, alpha: 3 };
    const def = builtinAsEquations({ kind: 'lif', name: 'lif', threshold: 0.8, reset: 'hard', resetValue: -0.25, detachReset: false, surrogate: s, tau: 3, decayInput: true });
    out.push({ label: `lif, ${kind} surrogate`, lifted: planOf(def)!, surrogate: s, drive: 1.6 });
  }
  return out;
}

const T = 6;
const B = 3;

/** Spikes (or membrane) and dL/dx of one fused layer on the active backend. */
function run(c: Case, staticInput: boolean, xv: Float32Array, dyv: Float32Array, N = 70): { y: Float32Array; dx: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor2d(xv, [staticInput ? B : T * B, N]);
    const dy = tf.tensor2d(dyv, [T * B, N]);
    const f = (xx: tf.Tensor) => fusedNeuron(xx, { lifted: c.lifted, steps: T, staticInput, surrogate: c.surrogate });
    const { value, grad } = tf.valueAndGrad(f)(x, dy);
    return { y: value.dataSync() as Float32Array, dx: grad.dataSync() as Float32Array };
  });
}

describe.skipIf(!native)('native TensorFlow neuron ops', () => {
  it.each(cases().flatMap((c) => [false, true].map((s) => [`${c.label}${s ? ', static input' : ''}`, c, s] as const)))('%s: same spikes and gradients as the JS kernels', async (_, c, staticInput) => {
    const rng = new Random(planHash(c.lifted.key).charCodeAt(0));
    const N = 70;
    const xv = Float32Array.from({ length: (staticInput ? B : T * B) * N }, () => c.drive * (rng.uniform() * 1.3 - 0.3));
    const dyv = Float32Array.from({ length: T * B * N }, () => rng.uniform() - 0.5);
    await tf.setBackend('cpu');
    const want = run(c, staticInput, xv, dyv, N);
    await tf.setBackend('tensorflow');
    try {
      expect(fusedNeuronRuns(c.lifted, 'tensorflow')).toBe(true);
      const got = run(c, staticInput, xv, dyv, N);
      expect(Array.from(got.y)).toEqual(Array.from(want.y));
      let scale = 0;
      for (const v of want.dx) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
      // Both compute in double and round once to float; only exp/log/pow may differ (V8 vs glibc) by an ulp.
      want.dx.forEach((v, i) => {
        const g = got.dx[i]!;
        if (Number.isFinite(v)) expect(Math.abs(g - v)).toBeLessThanOrEqual(1e-6 * (1 + scale));
        else expect(g).toEqual(v);
      });
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it.each([false, true])('a layer large enough to split across threads (static input: %s) gives the JS kernels\' results', async (staticInput) => {
    // 2 x 4,096 neurons per step and a partial last block: two threads here (snnc_tf_ops.c
    // MIN_PER_THREAD), each taking whole blocks of 256.
    const N = 2 * 4096 + 37;
    const c = cases().find((k) => k.label === 'lif hard reset')!;
    const rng = new Random(7);
    const xv = Float32Array.from({ length: (staticInput ? B : T * B) * N }, () => 1.6 * rng.uniform());
    const dyv = Float32Array.from({ length: T * B * N }, () => rng.uniform() - 0.5);
    await tf.setBackend('cpu');
    const want = run(c, staticInput, xv, dyv, N);
    await tf.setBackend('tensorflow');
    try {
      const got = run(c, staticInput, xv, dyv, N);
      expect(got.y).toEqual(want.y);
      expect(got.dx).toEqual(want.dx);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('an op for a plan the library does not hold fails with a message, not a crash', async () => {
    await tf.setBackend('tensorflow');
    try {
      const x = tf.ones([T, 4]);
      const attrs = { steps: T, staticInput: false, hash: 'ffffffff', key: '{}', constants: [], states: 1, refractorySteps: 0, spiking: true, readsInput: false, surrogate: 'atan', alpha: 2 };
      expect(() => tf.engine().runKernel(NEURON_FORWARD, { x }, attrs)).toThrow(/no native kernel for this plan hash/);
      x.dispose();
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('loads only with its own digest: the library in place reports what it holds', () => {
    const s = loadNativeOps();
    expect(s.kind).toBe('loaded');
    if (s.kind === 'loaded') expect(s.kernels).toBeGreaterThan(40);
  });
});

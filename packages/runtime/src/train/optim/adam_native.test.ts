import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend, tensorflowWithNativeOps } from '../../node/backend/index.js';
import { adam, ADAM_KERNEL, type AdamConfig } from './adam.js';
import type { Param } from './optimizer.js';

/**
 * The fused `SnncAdam` op (runtime/native/snnc_adam.c, tensorflow with the native ops) against the
 * ops path on the cpu backend: the same float32 arithmetic in the same order, so the parameters
 * and both moments agree bit for bit after every step. Skipped where tfjs-node or the native
 * library is not built (tools/build-tfjs-node.sh builds both), like every tensorflow test.
 */
const native = await tensorflowWithNativeOps();

interface Trace {
  params: Float32Array[][];
  moments: Float32Array[][];
}

/** `steps` updates of two parameters (one large enough to split across threads) with seeded gradients. */
function train(config: AdamConfig, steps: number, seed: number): Trace {
  const rng = new Random(seed);
  const shapes = [[3, 5], [300_001]];
  const init = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)));
  const grads = Array.from({ length: steps }, () => init.map((v) => Float32Array.from({ length: v.length }, () => rng.uniform(-2, 2) * (rng.uniform(0, 1) < 0.1 ? 0 : 1))));
  const params: Param[] = shapes.map((s, i) => ({ name: `p${i}`, variable: tf.variable(tf.tensor(init[i]!, s), true, `adam_native_${seed}_${i}_${Math.random()}`) }));
  const opt = adam(params, config);
  const trace: Trace = { params: [], moments: [] };
  for (let step = 0; step < steps; step++) {
    const g = grads[step]!.map((v, i) => tf.tensor(v, shapes[i]));
    opt.apply(g, 1e-3 * (1 + step));
    tf.dispose(g);
    trace.params.push(params.map((p) => p.variable.dataSync() as Float32Array));
    const snap = opt.snapshot();
    trace.moments.push(Object.keys(snap.slots).sort().map((k) => snap.slots[k]!.dataSync() as Float32Array));
  }
  opt.dispose();
  params.forEach((p) => p.variable.dispose());
  return trace;
}

const configs: [string, AdamConfig][] = [
  ['adam', { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }],
  ['adam with L2', { beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05, decoupled: false }],
  ['adamw', { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true }],
];

describe.skipIf(!native)('SnncAdam (native) against the ops path on cpu', () => {
  it.each(configs)('%s: parameters and moments equal bit for bit over 4 steps', async (_, config) => {
    await loadBackend('cpu');
    expect(tf.getKernel(ADAM_KERNEL, 'cpu')).toBeUndefined();
    const ref = train(config, 4, 11);
    await loadBackend('tensorflow');
    expect(tf.getKernel(ADAM_KERNEL, 'tensorflow')).toBeDefined();
    const got = train(config, 4, 11);
    for (let step = 0; step < 4; step++) {
      for (const [which, a, b] of [['params', got.params[step]!, ref.params[step]!], ['moments', got.moments[step]!, ref.moments[step]!]] as const) {
        expect(a.length, which).toBe(b.length);
        a.forEach((arr, i) => {
          const other = b[i]!;
          let diff = -1;
          for (let k = 0; k < arr.length && diff < 0; k++) if (!Object.is(arr[k], other[k])) diff = k;
          expect(diff, `${which} ${i} after step ${step + 1}: first difference at element ${diff}`).toBe(-1);
        });
      }
    }
  });

  it('refuses mismatched inputs with a message', async () => {
    await loadBackend('tensorflow');
    const p = tf.zeros([4]);
    const bad = tf.zeros([5]);
    const scalars = tf.tensor1d([1, 1, 0]);
    const attrs = { beta1: 0.9, oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, eps: 1e-8, decayMode: 'none' };
    expect(() => tf.engine().runKernel(ADAM_KERNEL, { p, m: p, v: p, g: bad, scalars }, attrs)).toThrow(/SnncAdam/);
    expect(() => tf.engine().runKernel(ADAM_KERNEL, { p, m: p, v: p, g: p, scalars }, { ...attrs, decayMode: 'sometimes' })).toThrow(/decay_mode/);
    tf.dispose([p, bad, scalars]);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

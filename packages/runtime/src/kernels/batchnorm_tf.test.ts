import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import type { CrossReplicaSum } from '../train/parallel/all-reduce.js';
import { loadBackend } from '../node/backend/index.js';
import { batchNormTrain, withCrossReplicaBatchNorm } from './batchnorm.js';
import { nativeBatchNormApplies } from './batchnorm_tf.js';

/**
 * batchNormTrain as TensorFlow's FusedBatchNormV3 / FusedBatchNormGradV3 (tensorflow backend)
 * against the closed-form path on cpu: same output, batch mean, biased variance and gradients.
 * tfjs-node is optional (tools/build-tfjs-node.sh): without it these cases are skipped.
 */

const tensorflowDetail = await loadBackend('tensorflow').then(
  (b) => b.detail,
  (e: unknown) => {
    console.warn(`tensorflow batch-norm tests skipped: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  },
);
await loadBackend('cpu');

interface Outcome {
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  count: number;
  /** d/dx, d/dgamma, d/dbeta of sum(y * r). */
  grads: Float32Array[];
}

function inputs(shape: number[], seed: number) {
  const rng = new Random(seed);
  const arr = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const size = shape.reduce((a, b) => a * b, 1);
  const c = shape[shape.length - 1]!;
  return { shape, x: arr(size, -2, 3), gamma: arr(c, 0.5, 1.5), beta: arr(c, -1, 1), r: arr(size, -1, 1) };
}

function run(d: ReturnType<typeof inputs>): Outcome {
  return tf.tidy(() => {
    const x = tf.tensor(d.x, d.shape);
    const gamma = tf.tensor1d(d.gamma);
    const beta = tf.tensor1d(d.beta);
    const r = tf.tensor(d.r, d.shape);
    const out = batchNormTrain(x, gamma, beta, 1e-5);
    const loss = (xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const o = batchNormTrain(xi, gi, bi, 1e-5);
      tf.dispose([o.mean, o.variance]);
      return tf.sum(tf.mul(o.y, r));
    };
    const grads = tf.grads(loss)([x, gamma, beta]).map((g) => g.dataSync() as Float32Array);
    const outcome = {
      y: out.y.dataSync() as Float32Array,
      mean: out.mean.dataSync() as Float32Array,
      variance: out.variance.dataSync() as Float32Array,
      count: out.count,
      grads,
    };
    tf.dispose([out.mean, out.variance]);
    return outcome;
  });
}

/** max |a - b| / max(1, |b|) over the elements. */
function worst(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return w;
}

const shapes = [
  [5, 3, 4, 6],
  [7, 5],
  [16, 9, 9, 32],
];

/** One replica: sums are the local values, so the step normalises as without replicas. */
const oneReplica: CrossReplicaSum = { rank: 0, replicas: 1, sum: (values) => values };

/** The tfjs kernels that a batchNormTrain forward and backward dispatches. */
async function kernelsOf(d: ReturnType<typeof inputs>, crossReplica: boolean): Promise<string[]> {
  const x = tf.tensor(d.x, d.shape);
  const gamma = tf.tensor1d(d.gamma);
  const beta = tf.tensor1d(d.beta);
  const dy = tf.tensor(d.r, d.shape);
  // dy given: no loss op of its own in the profile
  const step = () =>
    tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const o = batchNormTrain(xi, gi, bi, 1e-5);
      tf.dispose([o.mean, o.variance]);
      return o.y;
    })([x, gamma, beta], dy);
  const info = await tf.profile(() => (crossReplica ? withCrossReplicaBatchNorm(oneReplica, step) : step()));
  tf.dispose([x, gamma, beta, dy]);
  return info.kernels.map((k) => k.name);
}

describe('native batch norm applies only on tensorflow', () => {
  it('not on cpu', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(nativeBatchNormApplies(tf.ones([2, 3, 3, 4]), tf.ones([4]), tf.zeros([4]))).toBe(false);
  });
});

describe.skipIf(tensorflowDetail === null)(`batch norm as FusedBatchNormV3 on ${tensorflowDetail ?? 'tensorflow (not loaded)'}`, () => {
  it.each(shapes.map((s) => [s.join('x'), s] as const))('%s: same output, statistics and gradients as the closed form on cpu', async (_, shape) => {
    const d = inputs(shape, shape.length * 100 + shape[shape.length - 1]!);
    await loadBackend('cpu');
    const ref = run(d);
    await loadBackend('tensorflow');
    const x = tf.tensor(d.x, d.shape);
    expect(nativeBatchNormApplies(x, tf.tensor1d(d.gamma), tf.tensor1d(d.beta))).toBe(true);
    const got = run(d);
    expect(got.count).toBe(ref.count);
    expect(worst(got.y, ref.y)).toBeLessThan(1e-5);
    // float32 sums over up to 1,296 values per channel, in another order than cpu's: ~1e-6
    expect(worst(got.mean, ref.mean)).toBeLessThan(4e-6);
    // the biased variance (the caller applies M/(M-1)), not TensorFlow's Bessel-corrected
    // batch_variance, which would differ here by a factor M/(M-1) >= 1.0007
    expect(worst(got.variance, ref.variance)).toBeLessThan(4e-6);
    for (let k = 0; k < 3; k++) expect(worst(got.grads[k]!, ref.grads[k]!), ['dx', 'dgamma', 'dbeta'][k]).toBeLessThan(2e-5);
  });

  it('takes the native path: no element-wise tfjs kernels, unlike a cross-replica step', async () => {
    await loadBackend('tensorflow');
    const d = inputs([4, 5, 5, 8], 3);
    const native = await kernelsOf(d, false);
    const composed = await kernelsOf(d, true);
    const elementWise = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Square', 'Rsqrt', 'Sum', 'Mean'];
    expect(native.filter((k) => elementWise.includes(k))).toEqual([]);
    expect(native.length).toBeGreaterThan(0);
    expect(composed.filter((k) => elementWise.includes(k)).length).toBeGreaterThan(10);
  });

  it('a cross-replica step and other ranks keep the closed form, with the same values', async () => {
    await loadBackend('tensorflow');
    expect(nativeBatchNormApplies(tf.ones([2, 3, 4]), tf.ones([4]), tf.zeros([4]))).toBe(false);
    expect(nativeBatchNormApplies(tf.ones([2, 3, 3, 4], 'int32'), tf.ones([4]), tf.zeros([4]))).toBe(false);
    const d = inputs([6, 4, 4, 3], 5);
    const native = run(d);
    const composed = withCrossReplicaBatchNorm(oneReplica, () => run(d));
    expect(worst(native.y, composed.y)).toBeLessThan(1e-5);
    expect(worst(native.variance, composed.variance)).toBeLessThan(4e-6);
    for (let k = 0; k < 3; k++) expect(worst(native.grads[k]!, composed.grads[k]!)).toBeLessThan(2e-5);
  });

  it('leaks nothing', async () => {
    await loadBackend('tensorflow');
    const d = inputs([4, 3, 3, 2], 7);
    run(d);
    const before = tf.memory().numTensors;
    run(d);
    run(d);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

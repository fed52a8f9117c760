import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrossReplicaSum } from '../train/parallel/all-reduce.js';
import { loadBackend } from '../node/backend/index.js';
import { affineBatchNorm, batchNormTrain, channelMoments, closedFormBatchNormTrain, withCrossReplicaBatchNorm } from './batchnorm.js';
import { JS_BATCH_NORM_BACKENDS, jsBatchNormApplies } from './batchnorm_js.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

afterAll(async () => {
  await loadBackend('cpu');
});

describe('affine batch norm', () => {
  it('equals tf.batchNorm in value and in every gradient', () => {
    const rng = new Random(4);
    const arr = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    const x = tf.tensor4d(arr(3 * 4 * 5 * 6, -2, 3), [3, 4, 5, 6]);
    const gamma = tf.tensor1d(arr(6, 0.5, 1.5));
    const beta = tf.tensor1d(arr(6));
    const r = tf.tensor4d(arr(3 * 4 * 5 * 6), [3, 4, 5, 6]);
    const ours = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = channelMoments(xi);
      return tf.sum(tf.mul(affineBatchNorm(xi, mean, variance, g, b, 1e-5), r));
    };
    const theirs = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(xi, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(xi, mean, variance, b, g, 1e-5), r));
    };
    const a = tf.grads(ours)([x, gamma, beta]);
    const b = tf.grads(theirs)([x, gamma, beta]);
    expect(ours(x, gamma, beta).dataSync()[0]).toBeCloseTo(theirs(x, gamma, beta).dataSync()[0]!, 4);
    for (let k = 0; k < 3; k++) {
      const av = a[k]!.dataSync();
      const bv = b[k]!.dataSync();
      for (let i = 0; i < av.length; i++) expect(av[i]).toBeCloseTo(bv[i]!, 4);
    }
  });

  it('closed-form training batch norm equals autodiff through moments + affine form', () => {
    const rng = new Random(8);
    const arr = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
    for (const shape of [[5, 3, 4, 6], [7, 5]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const c = shape[shape.length - 1]!;
      const x = tf.tensor(arr(size, -2, 3), shape);
      const gamma = tf.tensor1d(arr(c, 0.5, 1.5));
      const beta = tf.tensor1d(arr(c));
      const r = tf.tensor(arr(size), shape);
      const ours = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const out = batchNormTrain(xi, g, b, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.mul(out.y, r));
      };
      const ref = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = channelMoments(xi);
        return tf.sum(tf.mul(affineBatchNorm(xi, mean, variance, g, b, 1e-5), r));
      };
      expect(ours(x, gamma, beta).dataSync()[0]).toBeCloseTo(ref(x, gamma, beta).dataSync()[0]!, 3);
      const a = tf.grads(ours)([x, gamma, beta]);
      const b = tf.grads(ref)([x, gamma, beta]);
      for (let k = 0; k < 3; k++) {
        const av = a[k]!.dataSync();
        const bv = b[k]!.dataSync();
        for (let i = 0; i < av.length; i++) expect(Math.abs(av[i]! - bv[i]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(bv[i]!)));
      }
      const out = batchNormTrain(x, gamma, beta, 1e-5);
      const m = channelMoments(x);
      expect(Array.from(out.mean.dataSync()).map((v, i) => Math.abs(v - m.mean.dataSync()[i]!) < 1e-6)).not.toContain(false);
      expect(Array.from(out.variance.dataSync()).map((v, i) => Math.abs(v - m.variance.dataSync()[i]!) < 1e-5)).not.toContain(false);
      expect(out.count).toBe(size / c);
    }
  });

  it('closed-form training batch norm leaks nothing', () => {
    const x = tf.randomUniform([4, 3, 3, 2]);
    const g = tf.ones([2]);
    const b = tf.zeros([2]);
    const run = () => tf.tidy(() => {
      const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
        const out = batchNormTrain(xi, gi, bi, 1e-5);
        tf.dispose([out.mean, out.variance]);
        return tf.sum(tf.square(out.y));
      })([x, g, b]);
      return grads[0]!.dataSync()[0];
    });
    run();
    const before = tf.memory().numTensors;
    run();
    run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts samples over every axis but the channels', () => {
    const { count, mean } = channelMoments(tf.ones([2, 3, 4, 5]));
    expect(count).toBe(24);
    expect(mean.shape).toEqual([5]);
  });
});

type Train = typeof batchNormTrain;

interface Case {
  shape: number[];
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  /** The loss is sum(y * r): r is dy. */
  r: Float32Array;
}

/** A type, not an interface: tf.tidy returns it (a TensorContainer needs an index signature). */
type Outcome = {
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  count: number;
  /** d/dx, d/dgamma, d/dbeta of sum(y * r). */
  grads: Float32Array[];
};

function makeCase(shape: number[], seed: number): Case {
  const rng = new Random(seed);
  const arr = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const size = shape.reduce((a, b) => a * b, 1);
  const c = shape[shape.length - 1]!;
  // an offset mean (3) against a spread of ~1.4: centring matters, as after a conv layer
  return { shape, x: arr(size, 0.5, 5.5), gamma: arr(c, 0.5, 1.5), beta: arr(c, -1, 1), r: arr(size, -1, 1) };
}

/** Rows [from, to) of the first axis. */
function rowsOf(d: Case, from: number, to: number): Case {
  const per = d.shape.slice(1).reduce((a, b) => a * b, 1);
  return { ...d, shape: [to - from, ...d.shape.slice(1)], x: d.x.slice(from * per, to * per), r: d.r.slice(from * per, to * per) };
}

/** One training batch norm forward and backward of `train`, read back to host arrays. */
function runOnce(train: Train, d: Case): Outcome {
  return tf.tidy(() => {
    const x = tf.tensor(d.x, d.shape);
    const gamma = tf.tensor1d(d.gamma);
    const beta = tf.tensor1d(d.beta);
    const r = tf.tensor(d.r, d.shape);
    const o = train(x, gamma, beta, 1e-5);
    const grads = tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
      const g = train(xi, gi, bi, 1e-5);
      tf.dispose([g.mean, g.variance]);
      return tf.sum(tf.mul(g.y, r));
    })([x, gamma, beta]);
    const outcome: Outcome = {
      y: o.y.dataSync() as Float32Array,
      mean: o.mean.dataSync() as Float32Array,
      variance: o.variance.dataSync() as Float32Array,
      count: o.count,
      grads: grads.map((g) => g.dataSync() as Float32Array),
    };
    tf.dispose([o.mean, o.variance]);
    return outcome;
  });
}

/** max |a - b| / max(1, |b|) over the elements. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return w;
}

/**
 * Same function to float32 round-off: y, statistics and all three gradients. dgamma and dbeta
 * are sums over the M values of a channel, which the closed form adds in float32 (wasm's Sum in
 * sequence): their round-off grows with M (1.5e-5 at M = 1,296 on wasm), hence `sums`.
 */
function expectSame(got: Outcome, want: Outcome, sums = 1e-5): void {
  expect(got.count).toBe(want.count);
  expect(worst(got.y, want.y), 'y').toBeLessThan(1e-5);
  expect(worst(got.mean, want.mean), 'mean').toBeLessThan(1e-5);
  expect(worst(got.variance, want.variance), 'variance').toBeLessThan(1e-5);
  expect(worst(got.grads[0]!, want.grads[0]!), 'dx').toBeLessThan(1e-5);
  expect(worst(got.grads[1]!, want.grads[1]!), 'dgamma').toBeLessThan(sums);
  expect(worst(got.grads[2]!, want.grads[2]!), 'dbeta').toBeLessThan(sums);
}

/** The closed form in float64 on the host: the reference both float32 paths round away from. */
function float64Reference(d: Case, eps: number): { y: Float64Array; mean: Float64Array; variance: Float64Array; grads: Float64Array[] } {
  const c = d.gamma.length;
  const m = d.x.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const dbeta = new Float64Array(c);
  const dgamma = new Float64Array(c);
  d.x.forEach((v, i) => (mean[i % c]! += v / m));
  d.x.forEach((v, i) => (variance[i % c]! += (v - mean[i % c]!) ** 2 / m));
  const xhat = Float64Array.from(d.x, (v, i) => (v - mean[i % c]!) / Math.sqrt(variance[i % c]! + eps));
  d.r.forEach((g, i) => {
    dbeta[i % c]! += g;
    dgamma[i % c]! += g * xhat[i]!;
  });
  const y = xhat.map((h, i) => h * d.gamma[i % c]! + d.beta[i % c]!);
  const dx = xhat.map((h, i) => {
    const j = i % c;
    return (d.gamma[j]! / Math.sqrt(variance[j]! + eps)) * (d.r[i]! - dbeta[j]! / m - (h * dgamma[j]!) / m);
  });
  return { y, mean, variance, grads: [dx, dgamma, dbeta] };
}

/**
 * Two data-parallel replicas in one thread. A replica's step cannot block on the other's as the
 * real all-reduce does, so the replicas run one after the other, each adding to its own vectors
 * the other's vectors from the same call of the previous round. Call k's vectors depend only on
 * the totals of calls before it, so after as many rounds as calls every total is exact; the
 * rounds run until the vectors stop changing.
 */
class TwoReplicas {
  private readonly sent: Float64Array[][] = [[], []];

  reducer(rank: 0 | 1): CrossReplicaSum {
    let call = 0;
    return {
      rank,
      replicas: 2,
      sum: (values) => {
        this.sent[rank]![call] = Float64Array.from(values);
        const other = this.sent[1 - rank]![call] ?? new Float64Array(values.length);
        call++;
        return values.map((v, i) => v + other[i]!);
      },
    };
  }

  /** Runs the two halves to a fixed point; returns each replica's outcome. */
  run(train: Train, halves: [Case, Case]): [Outcome, Outcome] {
    let previous = '';
    for (let round = 0; round < 20; round++) {
      const outs = [0, 1].map((rank) => withCrossReplicaBatchNorm(this.reducer(rank as 0 | 1), () => runOnce(train, halves[rank]!))) as [Outcome, Outcome];
      const now = JSON.stringify(this.sent.map((calls) => calls.map((v) => Array.from(v))));
      if (now === previous) return outs;
      previous = now;
    }
    throw new Error('two simulated replicas did not settle');
  }
}

const jsShapes = [
  [5, 3, 4, 6],
  [7, 5],
  [16, 9, 9, 32],
];

describe.each(JS_BATCH_NORM_BACKENDS)('training batch norm as JS kernels on %s', (backend) => {
  beforeAll(async () => {
    await loadBackend(backend);
  });

  it.each(jsShapes.map((s) => [s.join('x'), s] as const))('%s: same output, statistics and gradients as the closed form', (_, shape) => {
    expect(tf.getBackend()).toBe(backend);
    const d = makeCase(shape, 11 + shape.length * 7 + shape[shape.length - 1]!);
    expect(jsBatchNormApplies(tf.tensor(d.x, d.shape), tf.tensor1d(d.gamma), tf.tensor1d(d.beta))).toBe(true);
    const got = runOnce(batchNormTrain, d);
    expectSame(got, runOnce(closedFormBatchNormTrain, d), 3e-5);
    // and closer to the float64 function than the tolerance above: sums accumulated in float64
    const exact = float64Reference(d, 1e-5);
    for (const [name, a, b] of [['y', got.y, exact.y], ['mean', got.mean, exact.mean], ['variance', got.variance, exact.variance], ['dx', got.grads[0]!, exact.grads[0]!], ['dgamma', got.grads[1]!, exact.grads[1]!], ['dbeta', got.grads[2]!, exact.grads[2]!]] as const) {
      expect(worst(a, b), name).toBeLessThan(2e-6);
    }
  });

  it('runs as the JS kernels only: no element-wise tfjs kernels', async () => {
    const d = makeCase([4, 5, 5, 8], 3);
    const x = tf.tensor(d.x, d.shape);
    const gamma = tf.tensor1d(d.gamma);
    const beta = tf.tensor1d(d.beta);
    const dy = tf.tensor(d.r, d.shape);
    const info = await tf.profile(() =>
      tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => {
        const o = batchNormTrain(xi, gi, bi, 1e-5);
        tf.dispose([o.mean, o.variance]);
        return o.y;
      })([x, gamma, beta], dy),
    );
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((k) => ['Sub', 'Multiply', 'Square', 'Rsqrt', 'Sum', 'Mean', 'Transpose'].includes(k))).toEqual([]);
    expect(names.filter((k) => k.startsWith('SnncBatchNorm')).sort()).toEqual(
      ['SnncBatchNormCentredSquares', 'SnncBatchNormGradInput', 'SnncBatchNormGradSums', 'SnncBatchNormNormalize', 'SnncBatchNormSum'].sort(),
    );
    tf.dispose([x, gamma, beta, dy, ...(info.result as tf.Tensor[])]);
  });

  it.each([
    ['8x3x4x6, halves of 4 rows', [8, 3, 4, 6], 4],
    ['9x5, halves of 3 and 6 rows', [9, 5], 3],
    ['12x7x7x16, halves of 6 rows', [12, 7, 7, 16], 6],
  ] as const)('cross-replica, %s: two replicas normalise as one holding the whole batch', (_, shape, split) => {
    const d = makeCase([...shape], 29 + split);
    const whole = runOnce(batchNormTrain, d);
    expectSame(whole, runOnce(closedFormBatchNormTrain, d));
    const halves: [Case, Case] = [rowsOf(d, 0, split), rowsOf(d, split, shape[0])];
    const parts = new TwoReplicas().run(batchNormTrain, halves);
    const per = whole.y.length / shape[0];
    const wholeRows = (a: Float32Array, rank: 0 | 1) => (rank === 0 ? a.slice(0, split * per) : a.slice(split * per));
    parts.forEach((p, rank) => {
      expect(p.count).toBe(whole.count);
      expect(worst(p.y, wholeRows(whole.y, rank as 0 | 1)), 'y').toBeLessThan(1e-5);
      expect(worst(p.mean, whole.mean), 'mean').toBeLessThan(1e-5);
      expect(worst(p.variance, whole.variance), 'variance').toBeLessThan(1e-5);
      expect(worst(p.grads[0]!, wholeRows(whole.grads[0]!, rank as 0 | 1)), 'dx').toBeLessThan(1e-5);
    });
    // gamma's and beta's gradients are each replica's share: summed after the step
    for (const k of [1, 2]) {
      const sum = parts[0].grads[k]!.map((v, i) => v + parts[1].grads[k]![i]!);
      expect(worst(sum, whole.grads[k]!), ['dgamma', 'dbeta'][k - 1]).toBeLessThan(1e-5);
    }
    // the same replica steps as the closed form
    const ref = new TwoReplicas().run(closedFormBatchNormTrain, halves);
    parts.forEach((p, rank) => expectSame(p, ref[rank]!));
  });

  it('leaks nothing, with or without replicas', () => {
    const d = makeCase([4, 3, 3, 2], 7);
    const oneReplica: CrossReplicaSum = { rank: 0, replicas: 1, sum: (values) => values };
    const both = () => {
      runOnce(batchNormTrain, d);
      withCrossReplicaBatchNorm(oneReplica, () => runOnce(batchNormTrain, d));
    };
    both();
    const before = tf.memory().numTensors;
    both();
    both();
    expect(tf.memory().numTensors).toBe(before);
  });
});

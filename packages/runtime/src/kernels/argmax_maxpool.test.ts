import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, tensorflowWithNativeOps } from '../node/index.js';
import { ARGMAX_MAX_POOL, ARGMAX_MAX_POOL_GRAD, argmaxMaxPool, argmaxMaxPoolAvailable } from './argmax_maxpool.js';

/**
 * The winner-keeping max pool against tf.maxPool and its gradient on the cpu backend: same
 * values, same winners (first maximum in row-major window order), also for windows of spikes
 * full of ties. The native ops (tensorflow with packages/runtime/native built; skipped where
 * tfjs-node or the native library is not built) and the JS kernels (cpu, wasm).
 */
const native = (await tensorflowWithNativeOps()) && argmaxMaxPoolAvailable('tensorflow');

beforeAll(async () => {
  await loadBackend('cpu');
});

function reference(xv: Float32Array, shape: [number, number, number, number], size: [number, number], stride: [number, number], dyv: (n: number) => Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, shape);
    const y = tf.maxPool(x, size, stride, 'valid');
    const dy = tf.tensor(dyv(y.size), y.shape);
    const dx = tf.grad((xx: tf.Tensor) => tf.maxPool(xx as tf.Tensor4D, size, stride, 'valid'))(x, dy);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, yShape: y.shape };
  });
}

const cases = [
  { name: 'spikes, 2x2 stride 2 (ties everywhere)', shape: [3, 8, 8, 5], size: [2, 2], stride: [2, 2], spikes: true },
  { name: 'real values, odd size (floor), 2x2 stride 2', shape: [2, 7, 9, 3], size: [2, 2], stride: [2, 2], spikes: false },
  { name: 'overlapping 3x3 windows, stride 2 (gradients add up)', shape: [2, 9, 9, 4], size: [3, 3], stride: [2, 2], spikes: true },
  { name: 'non-square window and stride', shape: [1, 6, 10, 2], size: [2, 3], stride: [1, 2], spikes: false },
  { name: 'many images (split across threads)', shape: [64, 12, 12, 16], size: [2, 2], stride: [2, 2], spikes: true },
] as const;

/** x and dy for a case: spikes (0/1, many ties) or reals in [-2, 2); dy small integers (exact sums). */
function caseData(shape: readonly number[], spikes: boolean) {
  const rng = new Random(3);
  const n = shape.reduce((a, b) => a * b, 1);
  const xv = Float32Array.from({ length: n }, () => (spikes ? (rng.uniform() < 0.3 ? 1 : 0) : rng.uniform() * 4 - 2));
  const dyv = (m: number) => Float32Array.from({ length: m }, (_, i) => ((i * 37) % 11) - 5);
  return { xv, dyv };
}

describe.skipIf(!native)('argmaxMaxPool (native, tensorflow)', () => {
  it.each(cases)('$name: same values and gradients as tf.maxPool on cpu', async ({ shape, size, stride, spikes }) => {
    const { xv, dyv } = caseData(shape, spikes);
    await tf.setBackend('cpu');
    const want = reference(xv, [...shape], [...size], [...stride], dyv);
    await tf.setBackend('tensorflow');
    try {
      const got = tf.tidy(() => {
        const x = tf.tensor4d(xv, [...shape]);
        const dy = tf.tensor(dyv(want.y.length), want.yShape);
        const { value, grad } = tf.valueAndGrad((xx: tf.Tensor) => argmaxMaxPool(xx as tf.Tensor4D, [...size], [...stride]) as tf.Tensor)(x as tf.Tensor, dy);
        return { y: value.dataSync() as Float32Array, dx: grad.dataSync() as Float32Array, yShape: value.shape };
      });
      expect(got.yShape).toEqual(want.yShape);
      expect(got.y).toEqual(want.y);
      expect(got.dx).toEqual(want.dx);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  it('a winner offset outside the window is refused with a message (no write outside dx)', async () => {
    await tf.setBackend('tensorflow');
    try {
      const dy = tf.ones([1, 2, 2, 1]);
      const argmax = tf.tensor4d([0, 1, 9, 2], [1, 2, 2, 1], 'int32');
      const attrs = { kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, inputShape: [1, 4, 4, 1] };
      expect(() => tf.engine().runKernel(ARGMAX_MAX_POOL_GRAD, { dy, argmax }, attrs)).toThrow(/offset outside the window/);
      tf.dispose([dy, argmax]);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe.each(['cpu', 'wasm'] as const)('argmaxMaxPool (JS kernels, %s)', (backend) => {
  it('loadBackend registers both kernels', async () => {
    await loadBackend(backend);
    try {
      expect(argmaxMaxPoolAvailable(backend)).toBe(true);
    } finally {
      await loadBackend('cpu');
    }
  });

  it.each(cases)('$name: same values and gradients as tf.maxPool on cpu', async ({ shape, size, stride, spikes }) => {
    const { xv, dyv } = caseData(shape, spikes);
    await loadBackend('cpu');
    const want = reference(xv, [...shape], [...size], [...stride], dyv);
    await loadBackend(backend);
    try {
      const got = tf.tidy(() => {
        const x = tf.tensor4d(xv, [...shape]);
        const dy = tf.tensor(dyv(want.y.length), want.yShape);
        const { value, grad } = tf.valueAndGrad((xx: tf.Tensor) => argmaxMaxPool(xx as tf.Tensor4D, [...size], [...stride]) as tf.Tensor)(x as tf.Tensor, dy);
        return { y: value.dataSync() as Float32Array, dx: grad.dataSync() as Float32Array, yShape: value.shape };
      });
      expect(got.yShape).toEqual(want.yShape);
      expect(got.y).toEqual(want.y);
      expect(got.dx).toEqual(want.dx);
    } finally {
      await loadBackend('cpu');
    }
  });

  it('argmax is the offset kh*KW+kw of the first maximum in row-major window order', async () => {
    await loadBackend(backend);
    try {
      // one 4x6 image, one channel, 2x3 windows with stride 2x3: two windows
      const x = tf.tensor4d([1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 2, 0, 0, 0, 3, 5, 5, 0, 1, 1, 0, 5, 0], [1, 4, 6, 1]);
      const [y, argmax] = tf.engine().runKernel(ARGMAX_MAX_POOL, { x }, { kernelH: 2, kernelW: 3, strideH: 2, strideW: 3 }) as tf.Tensor[];
      expect(argmax!.dtype).toBe('int32');
      expect(Array.from(y!.dataSync())).toEqual([1, 2, 1, 5]);
      expect(Array.from(argmax!.dataSync())).toEqual([0, 5, 4, 1]);
      tf.dispose([x, y!, argmax!]);
    } finally {
      await loadBackend('cpu');
    }
  });

  it('a winner offset outside the window is refused before any output exists', async () => {
    await loadBackend(backend);
    try {
      const dy = tf.ones([1, 2, 2, 1]);
      const attrs = { kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, inputShape: [1, 4, 4, 1] };
      for (const bad of [4, -1]) {
        const argmax = tf.tensor4d([0, 1, bad, 2], [1, 2, 2, 1], 'int32');
        const before = tf.engine().backend.numDataIds();
        expect(() => tf.engine().runKernel(ARGMAX_MAX_POOL_GRAD, { dy, argmax }, attrs)).toThrow(/offset outside the window/);
        expect(tf.engine().backend.numDataIds()).toBe(before);
        argmax.dispose();
      }
      dy.dispose();
    } finally {
      await loadBackend('cpu');
    }
  });

  it('refuses inputs smaller than a window and dy of another shape', async () => {
    await loadBackend(backend);
    try {
      const x = tf.zeros([1, 1, 4, 1]);
      expect(() => tf.engine().runKernel(ARGMAX_MAX_POOL, { x }, { kernelH: 2, kernelW: 2, strideH: 2, strideW: 2 })).toThrow(/smaller than one 2x2 window/);
      const dy = tf.ones([1, 2, 1, 1]);
      const argmax = tf.zeros([1, 2, 1, 1], 'int32');
      const attrs = { kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, inputShape: [1, 4, 4, 1] };
      expect(() => tf.engine().runKernel(ARGMAX_MAX_POOL_GRAD, { dy, argmax }, attrs)).toThrow(/must be \[1, 2, 2, 1\]/);
      tf.dispose([x, dy, argmax]);
    } finally {
      await loadBackend('cpu');
    }
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, loadNativeOps } from '../node/index.js';
import { ARGMAX_MAX_POOL_GRAD, argmaxMaxPool, argmaxMaxPoolAvailable } from './argmax_maxpool.js';

/**
 * The native winner-keeping max pool (tensorflow with packages/runtime/native built) against
 * tf.maxPool and its gradient on the cpu backend: same values, same winners (first maximum in
 * row-major window order), also for windows of spikes full of ties. Skipped where tfjs-node or
 * the native library is not built.
 */
async function nativeLoads(): Promise<boolean> {
  try {
    await loadBackend('tensorflow');
    return loadNativeOps().kind === 'loaded' && argmaxMaxPoolAvailable('tensorflow');
  } catch {
    return false; // tfjs-node is optional
  }
}
const native = await nativeLoads();

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

describe.skipIf(!native)('argmaxMaxPool (native, tensorflow)', () => {
  it.each([
    { name: 'spikes, 2x2 stride 2 (ties everywhere)', shape: [3, 8, 8, 5], size: [2, 2], stride: [2, 2], spikes: true },
    { name: 'real values, odd size (floor), 2x2 stride 2', shape: [2, 7, 9, 3], size: [2, 2], stride: [2, 2], spikes: false },
    { name: 'overlapping 3x3 windows, stride 2 (gradients add up)', shape: [2, 9, 9, 4], size: [3, 3], stride: [2, 2], spikes: true },
    { name: 'non-square window and stride', shape: [1, 6, 10, 2], size: [2, 3], stride: [1, 2], spikes: false },
    { name: 'many images (split across threads)', shape: [64, 12, 12, 16], size: [2, 2], stride: [2, 2], spikes: true },
  ] as const)('$name: same values and gradients as tf.maxPool on cpu', async ({ shape, size, stride, spikes }) => {
    const rng = new Random(3);
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    const xv = Float32Array.from({ length: n }, () => (spikes ? (rng.uniform() < 0.3 ? 1 : 0) : rng.uniform() * 4 - 2));
    const dyv = (m: number) => Float32Array.from({ length: m }, (_, i) => ((i * 37) % 11) - 5);
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

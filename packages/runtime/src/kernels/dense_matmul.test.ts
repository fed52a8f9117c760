import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { denseMatMul, matMulGradientFor, type MatMulGradient } from './dense_matmul.js';

function run(n: number, k: number, m: number, seed: number, gradient: MatMulGradient) {
  const rng = new Random(seed);
  const arr = (len: number) => Float32Array.from({ length: len }, () => rng.uniform(-1, 1));
  const [xv, wv, rv] = [arr(n * k), arr(k * m), arr(n * m)];
  return tf.tidy(() => {
    const x = tf.tensor2d(xv, [n, k]);
    const w = tf.tensor2d(wv, [k, m]);
    const r = tf.tensor2d(rv, [n, m]);
    const f = (xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(denseMatMul(xi as tf.Tensor2D, wi as tf.Tensor2D, gradient), r));
    const y = denseMatMul(x, w, gradient);
    const [dx, dw] = tf.grads(f)([x, w]);
    return { y: y.dataSync(), dx: dx!.dataSync(), dw: dw!.dataSync(), shapes: [y.shape, dx!.shape, dw!.shape] };
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(1e-4);
}

describe('dense matMul gradients', () => {
  it('transposes explicitly on wasm only', () => {
    expect(matMulGradientFor('wasm')).toBe('transposed');
    expect(matMulGradientFor('cpu')).toBe('native');
    expect(matMulGradientFor('tensorflow')).toBe('native');
  });

  it.each([
    [5, 7, 3],
    [128, 1152, 64],
    [1, 4, 1],
  ] as const)('[%i, %i] x [%i]: transposed gradients equal autodiff on cpu and wasm', async (n, k, m) => {
    await loadBackend('cpu');
    const ref = run(n, k, m, n + k + m, 'native');
    for (const backend of ['cpu', 'wasm'] as const) {
      await loadBackend(backend);
      const got = run(n, k, m, n + k + m, 'transposed');
      expect(got.shapes).toEqual([[n, m], [n, k], [k, m]]);
      close(got.y, ref.y);
      close(got.dx, ref.dx);
      close(got.dw, ref.dw);
    }
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { conv2d, convGradientFor, type Conv2dOptions } from './conv2d.js';

type Case = { n: number; h: number; w: number; c: number; co: number; k: [number, number]; stride: [number, number]; padding: [number, number] };
const cases: Case[] = [
  { n: 2, h: 8, w: 8, c: 3, co: 4, k: [3, 3], stride: [1, 1], padding: [1, 1] },
  { n: 2, h: 7, w: 6, c: 2, co: 5, k: [3, 3], stride: [1, 1], padding: [0, 0] },
  { n: 1, h: 9, w: 9, c: 2, co: 3, k: [5, 5], stride: [1, 1], padding: [2, 2] },
  { n: 2, h: 9, w: 8, c: 3, co: 2, k: [3, 3], stride: [2, 2], padding: [1, 1] },
  { n: 2, h: 6, w: 6, c: 4, co: 3, k: [1, 1], stride: [1, 1], padding: [0, 0] },
  { n: 1, h: 6, w: 7, c: 2, co: 2, k: [3, 2], stride: [1, 2], padding: [2, 0] },
];

function data(cs: Case, seed: number) {
  const rng = new Random(seed);
  const arr = (len: number) => Float32Array.from({ length: len }, () => rng.uniform(-1, 1));
  const ho = Math.floor((cs.h + 2 * cs.padding[0] - cs.k[0]) / cs.stride[0]) + 1;
  const wo = Math.floor((cs.w + 2 * cs.padding[1] - cs.k[1]) / cs.stride[1]) + 1;
  return {
    x: arr(cs.n * cs.h * cs.w * cs.c),
    w: arr(cs.k[0] * cs.k[1] * cs.c * cs.co),
    r: arr(cs.n * ho * wo * cs.co),
    ho,
    wo,
  };
}

function run(cs: Case, d: ReturnType<typeof data>, opts: Omit<Conv2dOptions, 'stride' | 'padding'>) {
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, [cs.n, cs.h, cs.w, cs.c]);
    const w = tf.tensor4d(d.w, [cs.k[0], cs.k[1], cs.c, cs.co]);
    const r = tf.tensor4d(d.r, [cs.n, d.ho, d.wo, cs.co]);
    const f = (xi: tf.Tensor, wi: tf.Tensor) =>
      tf.sum(tf.mul(conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, { ...opts, stride: cs.stride, padding: cs.padding }), r));
    const y = conv2d(x, w, { ...opts, stride: cs.stride, padding: cs.padding });
    const [dx, dw] = tf.grads(f)([x, w]);
    return { y: y.dataSync(), shape: y.shape, dx: dx!.dataSync(), dw: dw!.dataSync() };
  });
}

function close(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(1e-4);
}

describe('trainable conv2d', () => {
  it('picks native gradients on tensorflow and im2col elsewhere', () => {
    expect(convGradientFor('tensorflow')).toBe('native');
    expect(convGradientFor('wasm')).toBe('im2col');
    expect(convGradientFor('cpu')).toBe('im2col');
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: im2col gradients equal the native kernels (cpu)', async (i, cs) => {
    await loadBackend('cpu');
    const d = data(cs, i);
    const native = run(cs, d, { inputGrad: true, gradient: 'native' });
    const custom = run(cs, d, { inputGrad: true, gradient: 'im2col' });
    expect(custom.shape).toEqual([cs.n, d.ho, d.wo, cs.co]);
    close(custom.y, native.y);
    close(custom.dw, native.dw);
    close(custom.dx, native.dx);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: trains on wasm (no Conv2DBackpropFilter there) and matches cpu', async (i, cs) => {
    const d = data(cs, i);
    await loadBackend('cpu');
    const ref = run(cs, d, { inputGrad: true, gradient: 'native' });
    await loadBackend('wasm');
    const got = run(cs, d, { inputGrad: true, gradient: 'im2col' });
    close(got.y, ref.y);
    close(got.dw, ref.dw);
    close(got.dx, ref.dx);
  });

  it('native gradients work on tensorflow (tfjs-node) for every padding, when it is installed', async () => {
    await loadBackend('cpu');
    const refs = cases.map((cs, i) => run(cs, data(cs, i), { inputGrad: true, gradient: 'native' }));
    try {
      await loadBackend('tensorflow');
    } catch {
      return; // not built here: tools/build-tfjs-node.sh
    }
    cases.forEach((cs, i) => {
      const got = run(cs, data(cs, i), { inputGrad: true, gradient: 'native' });
      close(got.y, refs[i]!.y);
      close(got.dw, refs[i]!.dw);
      close(got.dx, refs[i]!.dx);
    });
  });

  it('skips the input gradient when asked (first layer)', async () => {
    await loadBackend('cpu');
    const cs = cases[0]!;
    const d = data(cs, 9);
    const g = run(cs, d, { inputGrad: false, gradient: 'im2col' });
    expect(Array.from(g.dx).every((v) => v === 0)).toBe(true);
    close(g.dw, run(cs, d, { inputGrad: true, gradient: 'native' }).dw);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

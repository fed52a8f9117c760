import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { im2col, im2colAvailable, im2colGeometry, registerIm2colKernels } from './im2col.js';

type Case = { n: number; h: number; w: number; c: number; k: [number, number]; stride: [number, number]; padding: [number, number] };
const cases: Case[] = [
  { n: 3, h: 8, w: 8, c: 2, k: [3, 3], stride: [1, 1], padding: [1, 1] },
  { n: 2, h: 7, w: 6, c: 3, k: [3, 3], stride: [1, 1], padding: [0, 0] },
  { n: 1, h: 9, w: 9, c: 2, k: [5, 5], stride: [1, 1], padding: [2, 2] },
  { n: 2, h: 9, w: 8, c: 3, k: [3, 3], stride: [2, 2], padding: [1, 1] },
  { n: 2, h: 6, w: 7, c: 2, k: [3, 2], stride: [1, 2], padding: [2, 0] },
  { n: 2, h: 5, w: 4, c: 1, k: [2, 3], stride: [3, 1], padding: [0, 2] },
  // padding wider than the kernel reaches: whole output rows and columns of zeros
  { n: 1, h: 4, w: 4, c: 2, k: [3, 3], stride: [1, 1], padding: [3, 4] },
];

/** The matrix from plain tfjs ops, written out element by element from its definition. */
function reference(cs: Case, xv: Float32Array): Float32Array {
  const { n: N, h: H, w: W, c: C, k: [KH, KW], stride: [sh, sw], padding: [ph, pw] } = cs;
  const Ho = Math.floor((H + 2 * ph - KH) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - KW) / sw) + 1;
  const out = new Float32Array(KH * KW * C * Ho * Wo * N);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let c = 0; c < C; c++)
        for (let ho = 0; ho < Ho; ho++)
          for (let wo = 0; wo < Wo; wo++)
            for (let n = 0; n < N; n++) {
              const hi = ho * sh + kh - ph;
              const wi = wo * sw + kw - pw;
              const v = hi >= 0 && hi < H && wi >= 0 && wi < W ? xv[((n * H + hi) * W + wi) * C + c]! : 0;
              out[((kh * KW + kw) * C + c) * Ho * Wo * N + (ho * Wo + wo) * N + n] = v;
            }
  return out;
}

describe.each(['cpu', 'wasm'] as const)('SnncIm2col on %s', (backend) => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i equals the definition exactly', async (i, cs) => {
    await loadBackend(backend);
    registerIm2colKernels();
    expect(im2colAvailable()).toBe(true);
    const rng = new Random(20 + i);
    const xv = Float32Array.from({ length: cs.n * cs.h * cs.w * cs.c }, () => rng.uniform(-1, 1));
    // Leave garbage on the heap first: wasm reuses freed memory, and the kernel must write every zero.
    tf.tidy(() => tf.fill([4096], 7).dataSync());
    const got = tf.tidy(() => im2col(tf.transpose(tf.tensor4d(xv, [cs.n, cs.h, cs.w, cs.c]), [3, 1, 2, 0]), cs.k, cs.stride, cs.padding).dataSync());
    expect(Array.from(got)).toEqual(Array.from(reference(cs, xv)));
  });

  it('refuses a bad call with a message and leaves no tensor behind', async () => {
    await loadBackend(backend);
    registerIm2colKernels();
    const before = tf.memory().numTensors;
    const xt = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    expect(() => im2col(xt, [5, 5], [1, 1], [0, 0])).toThrow(/does not fit a 3x3 input/);
    expect(() => im2col(xt, [3, 3], [0, 1], [0, 0])).toThrow(/strideH must be a positive integer/);
    expect(() => im2col(xt, [3, 3], [1, 1], [-1, 0])).toThrow(/padH must be a non-negative integer/);
    xt.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('im2col geometry', () => {
  it('gives the output size of a conv', () => {
    const g = im2colGeometry([3, 28, 28, 64], { kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1 });
    expect([g.Ho, g.Wo]).toEqual([28, 28]);
    const s = im2colGeometry([3, 9, 8, 2], { kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 });
    expect([s.Ho, s.Wo]).toEqual([5, 4]);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

import * as tf from '@tensorflow/tfjs-core';
import { im2col, im2colAvailable, registerIm2colKernels } from './im2col.js';

/**
 * How a trainable conv2d computes its gradients.
 * - `native`: tfjs's own Conv2DBackpropFilter/Input kernels (fast on tensorflow).
 * - `im2col`: filter gradient as one matMul of an im2col matrix built directly in
 *   [KH*KW*C, N*Ho*Wo] layout (wasm has no Conv2DBackpropFilter, cpu's is ~18 MFLOP/s, and
 *   wasm's matMul with transposeA is ~12x slower than a plain one), input gradient as a
 *   forward conv of dy with the kernel rotated 180 degrees and in/out channels swapped
 *   (wasm's Conv2DBackpropInput is a naive loop; its forward conv is XNNPACK).
 */
export type ConvGradient = 'native' | 'im2col';

/** The measured-fastest conv gradient per backend (docs/runtime.md). */
export function convGradientFor(backendName: string): ConvGradient {
  return backendName === 'tensorflow' ? 'native' : 'im2col';
}

export interface Conv2dOptions {
  /** Rows, columns. */
  stride: [number, number];
  /** Zero padding on each side: rows, columns. */
  padding: [number, number];
  /** False for a layer whose input depends on no trainable variable (the image): dx is skipped. */
  inputGrad: boolean;
  gradient: ConvGradient;
}

function explicitPad(ph: number, pw: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}

/**
 * A forward conv with symmetric zero padding (ph, pw) in a form every backend takes: the
 * tensorflow backend supports only 'valid' and 'same' (its Conv2DBackpropInput rejects
 * explicit padding), so other paddings become a tf.pad and a 'valid' conv.
 */
export function paddedConv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: [number, number], ph: number, pw: number): tf.Tensor4D {
  const [KH, KW] = w.shape;
  if (ph === 0 && pw === 0) return tf.conv2d(x, w, stride, 'valid');
  // 'same' with stride 1 and an odd kernel pads (K - 1) / 2 on each side
  if (stride[0] === 1 && stride[1] === 1 && KH % 2 === 1 && KW % 2 === 1 && 2 * ph === KH - 1 && 2 * pw === KW - 1) {
    return tf.conv2d(x, w, 1, 'same');
  }
  return tf.conv2d(tf.pad(x, explicitPad(ph, pw)), w, stride, 'valid');
}

/** x [N, H, W, C], w [KH, KW, C, Co] -> [N, Ho, Wo, Co]. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, opts: Conv2dOptions): tf.Tensor4D {
  const [sh, sw] = opts.stride;
  const [ph, pw] = opts.padding;
  if (opts.gradient === 'native') return paddedConv2d(x, w, [sh, sw], ph, pw);
  const f = tf.customGrad((xIn, wIn, save) => {
    const xs = xIn as tf.Tensor4D;
    const ws = wIn as tf.Tensor4D;
    (save as tf.GradSaveFunc)([xs, ws]);
    return {
      value: paddedConv2d(xs, ws, [sh, sw], ph, pw),
      gradFunc: (dy, saved) => {
        const [x0, w0] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dw = filterGradIm2col(x0, dy as tf.Tensor4D, w0.shape, opts);
        const dx = opts.inputGrad ? inputGradFlipped(dy as tf.Tensor4D, w0, x0.shape, opts) : tf.zerosLike(x0);
        return [dx, dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
}

/**
 * dL/dW as one matMul: im2col(x) [KH*KW*C, Ho*Wo*N] x dy [Ho*Wo*N, Co]. The input is transposed
 * once to [C, H, W, N], so each of the KH*KW shifted windows is made of long contiguous runs
 * (Wo*N floats); on cpu and wasm the `SnncIm2col` kernel (im2col.ts) copies them with the
 * padding in one pass, elsewhere they are tf.slices of the padded input (slicing [C, N, Hp, Wp]
 * instead copies runs of only Wo floats and measured ~20% slower on wasm). dy is transposed to
 * the matching (h, w, n) order.
 */
export function filterGradIm2col(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  wShape: [number, number, number, number],
  opts: Pick<Conv2dOptions, 'stride' | 'padding'>,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [N, , , C] = x.shape;
    const [, Ho, Wo, Co] = dy.shape;
    const [KH, KW] = wShape;
    const [sh, sw] = opts.stride;
    const [ph, pw] = opts.padding;
    const dyt = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [Ho * Wo * N, Co]);
    registerIm2colKernels();
    if (im2colAvailable()) {
      const im = im2col(tf.transpose(x, [3, 1, 2, 0]), [KH, KW], [sh, sw], [ph, pw]);
      return tf.reshape(tf.matMul(im, dyt), [KH, KW, C, Co]);
    }
    const padded = ph === 0 && pw === 0 ? x : tf.pad(x, explicitPad(ph, pw));
    const xt = tf.transpose(padded, [3, 1, 2, 0]); // [C, Hp, Wp, N]
    const rows: tf.Tensor[] = [];
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        rows.push(
          sh === 1 && sw === 1
            ? tf.slice(xt, [0, kh, kw, 0], [C, Ho, Wo, N])
            : tf.stridedSlice(xt, [0, kh, kw, 0], [C, kh + sh * (Ho - 1) + 1, kw + sw * (Wo - 1) + 1, N], [1, sh, sw, 1]),
        );
      }
    }
    const im = tf.reshape(rows.length === 1 ? rows[0]! : tf.concat(rows, 0), [KH * KW * C, Ho * Wo * N]);
    return tf.reshape(tf.matMul(im, dyt), [KH, KW, C, Co]);
  });
}

/**
 * dL/dx. Stride 1: a forward conv of dy (padded by K-1-p) with the rotated kernel, which
 * runs on the backend's fast forward conv. Otherwise tfjs's Conv2DBackpropInput.
 */
export function inputGradFlipped(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  xShape: [number, number, number, number],
  opts: Pick<Conv2dOptions, 'stride' | 'padding'>,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [KH, KW] = w.shape;
    const [sh, sw] = opts.stride;
    const [ph, pw] = opts.padding;
    const qh = KH - 1 - ph;
    const qw = KW - 1 - pw;
    if (sh === 1 && sw === 1 && qh >= 0 && qw >= 0) {
      const rotated = tf.reverse(tf.transpose(w, [0, 1, 3, 2]), [0, 1]); // [KH, KW, Co, C]
      return paddedConv2d(dy, rotated, [1, 1], qh, qw);
    }
    return tf.conv2dTranspose(dy, w, xShape, [sh, sw], explicitPad(ph, pw) as never);
  });
}

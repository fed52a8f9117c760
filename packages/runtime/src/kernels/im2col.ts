import * as tf from '@tensorflow/tfjs-core';
import { cpuFloat32, heapFloat32, type CpuLike, type WasmLike } from './js_backend_memory.js';

/**
 * `SnncIm2col`: the im2col matrix of a conv's filter gradient (conv2d.ts `filterGradIm2col`),
 * built in one pass on cpu and wasm. Input xt is the conv input transposed to [C, H, W, N], so
 * the N values of a pixel and, at stride 1, the Wo pixels of a window row are contiguous: each
 * (kh, kw, c, ho) row of the output is one block copy, with the zero padding written around
 * it. The same matrix as tf.pad + KH*KW tf.slice + tf.concat, which on wasm cost ~10 % of a
 * report-network training step (wasm's Slice walks every element through index arithmetic,
 * ~1 GB/s; a contiguous copy runs at memory speed).
 *
 * Output [KH*KW*C, Ho*Wo*N]: row (kh*KW + kw)*C + c, column (ho*Wo + wo)*N + n holds
 * x[n, ho*sh + kh - ph, wo*sw + kw - pw, c], or 0 in the padding.
 */
export const IM2COL = 'SnncIm2col';
const WHO = 'snnc im2col';
/** Backends with the JS kernel; others build the matrix from tfjs ops. */
export const IM2COL_JS_BACKENDS = ['cpu', 'wasm'] as const;
type JsBackend = (typeof IM2COL_JS_BACKENDS)[number];

export interface Im2colGeometry {
  C: number;
  H: number;
  W: number;
  N: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  Ho: number;
  Wo: number;
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${WHO}: ${what} must be a positive integer, got ${String(v)}`);
  return v;
}

function nonNegativeInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${WHO}: ${what} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** The geometry of an xt [C, H, W, N] input and the kernel's attributes, checked. */
export function im2colGeometry(xtShape: readonly number[], attrs: tf.NamedAttrMap | undefined): Im2colGeometry {
  if (xtShape.length !== 4) throw new Error(`${WHO}: expected xt [C, H, W, N], got [${xtShape.join(', ')}]`);
  const [C, H, W, N] = xtShape.map((d, i) => positiveInt(d, `xt dimension ${i}`)) as [number, number, number, number];
  const KH = positiveInt(attrs?.['kernelH'], 'kernelH');
  const KW = positiveInt(attrs?.['kernelW'], 'kernelW');
  const sh = positiveInt(attrs?.['strideH'], 'strideH');
  const sw = positiveInt(attrs?.['strideW'], 'strideW');
  const ph = nonNegativeInt(attrs?.['padH'], 'padH');
  const pw = nonNegativeInt(attrs?.['padW'], 'padW');
  if (H + 2 * ph < KH || W + 2 * pw < KW) throw new Error(`${WHO}: a ${KH}x${KW} kernel does not fit a ${H}x${W} input padded by (${ph}, ${pw})`);
  return { C, H, W, N, KH, KW, sh, sw, ph, pw, Ho: Math.floor((H + 2 * ph - KH) / sh) + 1, Wo: Math.floor((W + 2 * pw - KW) / sw) + 1 };
}

/** Writes every element of `out` (wasm outputs are not zeroed) from xt. */
export function im2colInto(g: Im2colGeometry, xt: Float32Array, out: Float32Array): void {
  const { C, H, W, N, KH, KW, sh, sw, ph, pw, Ho, Wo } = g;
  const rowLen = Wo * N; // one output row (ho) of one (kh, kw, c) row of the matrix
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // The output columns wo whose input column wo*sw + kw - pw lies inside [0, W).
      const woLo = Math.min(Wo, Math.max(0, Math.ceil((pw - kw) / sw)));
      const woHi = Math.max(woLo, Math.min(Wo, Math.floor((W - 1 + pw - kw) / sw) + 1));
      for (let c = 0; c < C; c++) {
        const rowBase = ((kh * KW + kw) * C + c) * Ho * rowLen;
        for (let ho = 0; ho < Ho; ho++) {
          const dst = rowBase + ho * rowLen;
          const hi = ho * sh + kh - ph;
          if (hi < 0 || hi >= H || woLo === woHi) {
            out.fill(0, dst, dst + rowLen);
            continue;
          }
          const src = (c * H + hi) * W * N;
          out.fill(0, dst, dst + woLo * N);
          if (sw === 1) {
            const wi = woLo + kw - pw;
            out.set(xt.subarray(src + wi * N, src + (wi + woHi - woLo) * N), dst + woLo * N);
          } else {
            for (let wo = woLo; wo < woHi; wo++) {
              const wi = wo * sw + kw - pw;
              out.set(xt.subarray(src + wi * N, src + (wi + 1) * N), dst + wo * N);
            }
          }
          out.fill(0, dst + woHi * N, dst + rowLen);
        }
      }
    }
  }
}

function geometryOf(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): { xt: tf.TensorInfo; g: Im2colGeometry; shape: [number, number] } {
  const xt = inputs['xt'];
  if (xt === undefined) throw new Error(`${WHO}: missing input \`xt\``);
  if (xt.dtype !== 'float32') throw new Error(`${WHO}: expected float32 \`xt\`, got ${xt.dtype}`);
  const g = im2colGeometry(xt.shape, attrs);
  return { xt, g, shape: [g.KH * g.KW * g.C, g.Ho * g.Wo * g.N] };
}

const kernels: Record<JsBackend, tf.KernelFunc> = {
  cpu: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as CpuLike;
    const { xt, g, shape } = geometryOf(inputs, attrs);
    const out = new Float32Array(shape[0] * shape[1]);
    im2colInto(g, cpuFloat32(b, xt, WHO), out);
    return b.makeTensorInfo(shape, 'float32', out);
  },
  wasm: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmLike;
    const { xt, g, shape } = geometryOf(inputs, attrs);
    // The output first: allocating may grow (and move) the heap under an earlier view.
    const out = b.makeOutput(shape, 'float32');
    im2colInto(g, heapFloat32(b, xt, WHO), heapFloat32(b, out, WHO));
    return out;
  },
};

/** Registers the JS kernel for cpu and wasm in tfjs's global registry; idempotent. */
export function registerIm2colKernels(): void {
  for (const backendName of IM2COL_JS_BACKENDS) {
    if (tf.getKernel(IM2COL, backendName) === undefined) tf.registerKernel({ kernelName: IM2COL, backendName, kernelFunc: kernels[backendName] });
  }
}

/** Whether the active backend has the kernel. */
export function im2colAvailable(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(IM2COL, backendName) !== undefined;
}

/** xt [C, H, W, N] -> the [KH*KW*C, Ho*Wo*N] matrix; needs the active backend's kernel. */
export function im2col(xt: tf.Tensor4D, kernel: [number, number], stride: [number, number], padding: [number, number]): tf.Tensor2D {
  const attrs = { kernelH: kernel[0], kernelW: kernel[1], strideH: stride[0], strideW: stride[1], padH: padding[0], padW: padding[1] };
  return tf.engine().runKernel(IM2COL, { xt }, attrs) as tf.Tensor2D;
}

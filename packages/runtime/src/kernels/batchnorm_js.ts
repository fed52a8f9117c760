import * as tf from '@tensorflow/tfjs-core';
import { cpuFloat32, heapFloat32, type CpuLike, type WasmLike } from './js_backend_memory.js';

/**
 * Training batch norm's element-wise passes as JS kernels on the `cpu` and `wasm` backends'
 * own memory (cpu: the backend's typed arrays; wasm: views of its heap).
 *
 * Why: batchnorm.ts's closed form is ~7 full-size tfjs ops each way; on wasm its reductions over
 * every axis but the last transpose the activation first (Sum + Mean were ~15 % of a report
 * network training step). Each kernel here is one pass over the activation, channels last
 * (x [..., C] is rows of C values), with per-channel sums accumulated in float64. Measured on a
 * [256, 14, 14, 64] activation on wasm (2-core EPYC, CPU time): the five passes take ~1.5-4 ns
 * per value each, ~14 ns per value for a forward and backward, against ~40 ns for the closed
 * form's wasm ops (each Sum or Mean over axes [0, 1, 2] alone ~7-8 ns, a SIMD multiply ~1 ns).
 *
 * The kernels take the per-channel statistics as [C] tensors and return local per-channel sums,
 * so that batchnorm.ts can sum them over data-parallel replicas between the passes:
 *   SnncBatchNormSum           {x}                      -> sum_rows x                       [C]
 *   SnncBatchNormCentredSquares {x, mean}               -> sum_rows (x - mean)^2            [C]
 *   SnncBatchNormNormalize     {x, mean, variance, gamma, beta} (eps)
 *                                                       -> y = (x - mean) rstd gamma + beta
 *   SnncBatchNormGradSums      {dy, x, mean, variance} (eps)
 *                                                       -> [sum_rows dy, sum_rows dy xhat]  [C] x 2
 *   SnncBatchNormGradInput     {dy, x, mean, variance, gamma, sumDy, sumDyXhat} (eps, count)
 *                                                       -> dx = gamma rstd (dy - sumDy/M - xhat sumDyXhat/M)
 * with rstd = 1/sqrt(variance + eps), xhat = (x - mean) rstd and M = count (the values per
 * channel over the whole batch, every replica's rows). xhat is recomputed from x in the backward
 * instead of being kept from the forward: writing it as a second Normalize output doubled that
 * pass (~3 -> ~7 ns per value) and would hold an activation-sized tensor until the backward,
 * which reads x in its place at the same cost.
 * They are never registered for `tensorflow` (copying out of TensorFlow costs more than it
 * saves; batchnorm_tf.ts runs TensorFlow's fused ops there) nor for webgpu (the closed form).
 */
export const BN_SUM = 'SnncBatchNormSum';
export const BN_CENTRED_SQUARES = 'SnncBatchNormCentredSquares';
export const BN_NORMALIZE = 'SnncBatchNormNormalize';
export const BN_GRAD_SUMS = 'SnncBatchNormGradSums';
export const BN_GRAD_INPUT = 'SnncBatchNormGradInput';
export const JS_BATCH_NORM_BACKENDS = ['cpu', 'wasm'] as const;
type JsBackend = (typeof JS_BATCH_NORM_BACKENDS)[number];

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`batch norm kernel: missing input \`${name}\``);
  if (t.dtype !== 'float32') throw new Error(`batch norm kernel: expected float32 \`${name}\`, got ${t.dtype}`);
  return t;
}

function numberAttr(attrs: tf.NamedAttrMap | undefined, name: string): number {
  const v = attrs?.[name];
  if (typeof v !== 'number') throw new Error(`batch norm kernel: expected the number attribute \`${name}\``);
  return v;
}

/** Channels (the last axis) of an activation, checking that every [C] input matches. */
function channelsOf(x: tf.TensorInfo, vectors: tf.TensorInfo[]): number {
  const c = x.shape[x.shape.length - 1];
  if (c === undefined || c < 1) throw new Error(`batch norm kernel: expected channels last, got shape [${x.shape.join(', ')}]`);
  for (const v of vectors) {
    if (v.shape.length !== 1 || v.shape[0] !== c) throw new Error(`batch norm kernel: expected a [${c}] vector, got [${v.shape.join(', ')}]`);
  }
  return c;
}

/** 1/sqrt(variance + eps) per channel, in float64. */
function rstdOf(variance: Float32Array, eps: number): Float64Array {
  return Float64Array.from(variance, (v) => 1 / Math.sqrt(v + eps));
}

/*
 * The loops below take four rows per iteration (written out): a channel's constants are then
 * read once per four values and a channel's float64 accumulator updated once per four values
 * (on the 2-core benchmark machine this took a pass from ~5-8 to ~1.5-2.5 ns per value). Rows
 * left over after the last full group of four run one at a time.
 */

function sumRows(x: Float32Array, c: number, out: Float32Array): void {
  const acc = new Float64Array(c);
  const n = x.length;
  let i = 0;
  for (; i + 4 * c <= n; i += 4 * c) {
    for (let j = 0, k = i; j < c; j++, k++) acc[j]! += x[k]! + x[k + c]! + (x[k + 2 * c]! + x[k + 3 * c]!);
  }
  for (; i < n; i += c) for (let j = 0; j < c; j++) acc[j]! += x[i + j]!;
  out.set(acc);
}

/** Centred before squaring, as the closed form does: no cancellation from sum x^2 - M mean^2. */
function sumCentredSquares(x: Float32Array, mean: Float32Array, c: number, out: Float32Array): void {
  const acc = new Float64Array(c);
  const m = Float64Array.from(mean);
  const n = x.length;
  let i = 0;
  for (; i + 4 * c <= n; i += 4 * c) {
    for (let j = 0, k = i; j < c; j++, k++) {
      const mj = m[j]!;
      const d0 = x[k]! - mj;
      const d1 = x[k + c]! - mj;
      const d2 = x[k + 2 * c]! - mj;
      const d3 = x[k + 3 * c]! - mj;
      acc[j]! += d0 * d0 + d1 * d1 + (d2 * d2 + d3 * d3);
    }
  }
  for (; i < n; i += c) {
    for (let j = 0; j < c; j++) {
      const d = x[i + j]! - m[j]!;
      acc[j]! += d * d;
    }
  }
  out.set(acc);
}

/**
 * y = (x - mean) rstd gamma + beta, computed as x scale + shift with scale = rstd gamma and
 * shift = beta - mean scale per channel. In float64 the cancellation in x scale + shift costs
 * ~1e-16 |mean scale|, far below y's float32 rounding unless |mean| is ~1e8 standard deviations.
 */
function normalize(x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array, beta: Float32Array, eps: number, c: number, y: Float32Array): void {
  const scale = rstdOf(variance, eps).map((r, j) => r * gamma[j]!);
  const shift = scale.map((sc, j) => beta[j]! - mean[j]! * sc);
  const n = x.length;
  let i = 0;
  for (; i + 4 * c <= n; i += 4 * c) {
    for (let j = 0, k = i; j < c; j++, k++) {
      const sc = scale[j]!;
      const sh = shift[j]!;
      y[k] = x[k]! * sc + sh;
      y[k + c] = x[k + c]! * sc + sh;
      y[k + 2 * c] = x[k + 2 * c]! * sc + sh;
      y[k + 3 * c] = x[k + 3 * c]! * sc + sh;
    }
  }
  for (; i < n; i += c) for (let j = 0; j < c; j++) y[i + j] = x[i + j]! * scale[j]! + shift[j]!;
}

function gradSums(dy: Float32Array, x: Float32Array, mean: Float32Array, variance: Float32Array, eps: number, c: number, sumDy: Float32Array, sumDyXhat: Float32Array): void {
  const m = Float64Array.from(mean);
  const accDy = new Float64Array(c);
  // sum dy (x - mean), times rstd once per channel after the pass
  const accDyX = new Float64Array(c);
  const n = x.length;
  let i = 0;
  for (; i + 4 * c <= n; i += 4 * c) {
    for (let j = 0, k = i; j < c; j++, k++) {
      const mj = m[j]!;
      const g0 = dy[k]!;
      const g1 = dy[k + c]!;
      const g2 = dy[k + 2 * c]!;
      const g3 = dy[k + 3 * c]!;
      accDy[j]! += g0 + g1 + (g2 + g3);
      accDyX[j]! += g0 * (x[k]! - mj) + g1 * (x[k + c]! - mj) + (g2 * (x[k + 2 * c]! - mj) + g3 * (x[k + 3 * c]! - mj));
    }
  }
  for (; i < n; i += c) {
    for (let j = 0; j < c; j++) {
      const g = dy[i + j]!;
      accDy[j]! += g;
      accDyX[j]! += g * (x[i + j]! - m[j]!);
    }
  }
  const rstd = rstdOf(variance, eps);
  sumDy.set(accDy);
  sumDyXhat.set(accDyX.map((v, j) => v * rstd[j]!));
}

/**
 * dx = k (dy - sumDy/M - xhat sumDyXhat/M) with k = gamma rstd and xhat = (x - mean) rstd,
 * computed as k dy - kb x + off with kb = k rstd sumDyXhat/M and off = kb mean - k sumDy/M per
 * channel (float64: the cancellation is as harmless as in normalize).
 */
function gradInput(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array,
  sumDy: Float32Array,
  sumDyXhat: Float32Array,
  eps: number,
  count: number,
  c: number,
  dx: Float32Array,
): void {
  const rstd = rstdOf(variance, eps);
  const k = rstd.map((r, j) => gamma[j]! * r);
  const kb = k.map((kj, j) => (kj * rstd[j]! * sumDyXhat[j]!) / count);
  const off = kb.map((b, j) => b * mean[j]! - (k[j]! * sumDy[j]!) / count);
  const n = x.length;
  let i = 0;
  for (; i + 4 * c <= n; i += 4 * c) {
    for (let j = 0, q = i; j < c; j++, q++) {
      const a = k[j]!;
      const b = kb[j]!;
      const o = off[j]!;
      dx[q] = a * dy[q]! - b * x[q]! + o;
      dx[q + c] = a * dy[q + c]! - b * x[q + c]! + o;
      dx[q + 2 * c] = a * dy[q + 2 * c]! - b * x[q + 2 * c]! + o;
      dx[q + 3 * c] = a * dy[q + 3 * c]! - b * x[q + 3 * c]! + o;
    }
  }
  for (; i < n; i += c) for (let j = 0; j < c; j++) dx[i + j] = k[j]! * dy[i + j]! - kb[j]! * x[i + j]! + off[j]!;
}

/** Reads a tensor's values; allocates outputs of the given shapes (in order, before any read). */
interface Io {
  view(t: tf.TensorInfo): Float32Array;
  outputs(shapes: number[][]): { infos: tf.TensorInfo[]; arrays: Float32Array[] };
}

function cpuIo(backend: unknown): Io {
  const b = backend as unknown as CpuLike;
  return {
    view: (t) => cpuFloat32(b, t, 'batch norm kernel (cpu)'),
    outputs(shapes) {
      const arrays = shapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
      return { infos: shapes.map((s, i) => b.makeTensorInfo(s, 'float32', arrays[i]!)), arrays };
    },
  };
}

function wasmIo(backend: unknown): Io {
  const b = backend as unknown as WasmLike;
  return {
    view: (t) => heapFloat32(b, t, 'batch norm kernel (wasm)'),
    outputs(shapes) {
      // Every output before any heap view: an allocation may grow (and move) the heap.
      const infos = shapes.map((s) => b.makeOutput(s, 'float32'));
      return { infos, arrays: infos.map((t) => heapFloat32(b, t, 'batch norm kernel (wasm)')) };
    },
  };
}

/** One kernel's body, given the backend's way to read inputs and make outputs. */
type Body = (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined, io: Io) => tf.TensorInfo[];

const bodies: Record<string, Body> = {
  [BN_SUM]: (inputs, _attrs, io) => {
    const x = input(inputs, 'x');
    const c = channelsOf(x, []);
    const { infos, arrays } = io.outputs([[c]]);
    sumRows(io.view(x), c, arrays[0]!);
    return infos;
  },
  [BN_CENTRED_SQUARES]: (inputs, _attrs, io) => {
    const x = input(inputs, 'x');
    const mean = input(inputs, 'mean');
    const c = channelsOf(x, [mean]);
    const { infos, arrays } = io.outputs([[c]]);
    sumCentredSquares(io.view(x), io.view(mean), c, arrays[0]!);
    return infos;
  },
  [BN_NORMALIZE]: (inputs, attrs, io) => {
    const x = input(inputs, 'x');
    const vectors = ['mean', 'variance', 'gamma', 'beta'].map((n) => input(inputs, n));
    const c = channelsOf(x, vectors);
    const { infos, arrays } = io.outputs([[...x.shape]]);
    const [mean, variance, gamma, beta] = vectors.map((v) => io.view(v)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    normalize(io.view(x), mean, variance, gamma, beta, numberAttr(attrs, 'eps'), c, arrays[0]!);
    return infos;
  },
  [BN_GRAD_SUMS]: (inputs, attrs, io) => {
    const dy = input(inputs, 'dy');
    const x = input(inputs, 'x');
    const mean = input(inputs, 'mean');
    const variance = input(inputs, 'variance');
    const c = channelsOf(x, [mean, variance]);
    if (!tf.util.arraysEqual(dy.shape, x.shape)) throw new Error(`batch norm kernel: dy [${dy.shape.join(', ')}] and x [${x.shape.join(', ')}] differ`);
    const { infos, arrays } = io.outputs([[c], [c]]);
    gradSums(io.view(dy), io.view(x), io.view(mean), io.view(variance), numberAttr(attrs, 'eps'), c, arrays[0]!, arrays[1]!);
    return infos;
  },
  [BN_GRAD_INPUT]: (inputs, attrs, io) => {
    const dy = input(inputs, 'dy');
    const x = input(inputs, 'x');
    const vectors = ['mean', 'variance', 'gamma', 'sumDy', 'sumDyXhat'].map((n) => input(inputs, n));
    const c = channelsOf(x, vectors);
    if (!tf.util.arraysEqual(dy.shape, x.shape)) throw new Error(`batch norm kernel: dy [${dy.shape.join(', ')}] and x [${x.shape.join(', ')}] differ`);
    const { infos, arrays } = io.outputs([[...x.shape]]);
    const [mean, variance, gamma, sumDy, sumDyXhat] = vectors.map((v) => io.view(v)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    gradInput(io.view(dy), io.view(x), mean, variance, gamma, sumDy, sumDyXhat, numberAttr(attrs, 'eps'), numberAttr(attrs, 'count'), c, arrays[0]!);
    return infos;
  },
};

const ioOf: Record<JsBackend, (backend: unknown) => Io> = { cpu: cpuIo, wasm: wasmIo };

let registered = false;

/** Registers the kernels for cpu and wasm in tfjs's global registry; idempotent. */
export function registerJsBatchNormKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of JS_BATCH_NORM_BACKENDS) {
    for (const [kernelName, body] of Object.entries(bodies)) {
      if (tf.getKernel(kernelName, backendName) !== undefined) continue;
      const makeIo = ioOf[backendName];
      tf.registerKernel({
        kernelName,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const outs = body(inputs, attrs, makeIo(backend));
          return outs.length === 1 ? outs[0]! : outs;
        },
      });
    }
  }
}

/**
 * Whether batchNormTrain can run x through these kernels: the active backend is cpu or wasm,
 * x is float32 with channels last and values, and gamma and beta are float32 [C].
 */
export function jsBatchNormApplies(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): boolean {
  if (!(JS_BATCH_NORM_BACKENDS as readonly string[]).includes(tf.getBackend())) return false;
  if (x.rank < 1 || x.size === 0) return false;
  const c = x.shape[x.rank - 1]!;
  const vector = (t: tf.Tensor) => t.dtype === 'float32' && t.rank === 1 && t.shape[0] === c;
  return x.dtype === 'float32' && vector(gamma) && vector(beta);
}

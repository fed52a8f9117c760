import * as tf from '@tensorflow/tfjs-core';
import { checkOffsets, maxPoolBackward, maxPoolForward, poolGeometry, pooledSize, type PoolGeometry } from './argmax_maxpool_loops.js';
import { cpuFloat32, cpuInt32, heapFloat32, heapInt32, type CpuLike, type WasmLike } from './js_backend_memory.js';

/**
 * Max pooling that keeps each window's winner: `SnncMaxPool` (x -> [y, argmax]) and
 * `SnncMaxPoolGrad` ({dy, argmax} -> dx), NHWC, 'valid'. Its backward scatters dy to the winners
 * instead of re-finding them from x and y at full size (tfjs's MaxPoolGrad), which after a
 * spiking layer was 10 % of a training step on tensorflow and 17 % on wasm. Ties go to the
 * first maximum in row-major window order, as the cpu and tensorflow backends' own gradients
 * do. Only backends that register the kernels run it: tensorflow, through the native ops
 * (packages/runtime/native/snnc_maxpool.c, registered by node/backend/tf_native_ops.ts), and
 * cpu and wasm, through the JS loops of argmax_maxpool_loops.ts (registerArgmaxMaxPoolKernels).
 */
export const ARGMAX_MAX_POOL = 'SnncMaxPool';
export const ARGMAX_MAX_POOL_GRAD = 'SnncMaxPoolGrad';
const WHO = 'snnc max pool';
/** The backends with JS kernels; never tensorflow (copying out of TensorFlow and back costs more). */
export const ARGMAX_MAX_POOL_JS_BACKENDS = ['cpu', 'wasm'] as const;
type JsBackend = (typeof ARGMAX_MAX_POOL_JS_BACKENDS)[number];

/** Whether the active backend has both kernels. */
export function argmaxMaxPoolAvailable(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(ARGMAX_MAX_POOL, backendName) !== undefined && tf.getKernel(ARGMAX_MAX_POOL_GRAD, backendName) !== undefined;
}

/** y = maxPool(x, size, stride, 'valid') with the winners' gradient; needs the active backend's kernels. */
export function argmaxMaxPool(x: tf.Tensor4D, size: [number, number], stride: [number, number]): tf.Tensor4D {
  const attrs = { kernelH: size[0], kernelW: size[1], strideH: stride[0], strideW: stride[1] };
  const inputShape = [...x.shape];
  const f = tf.customGrad((xIn, save) => {
    const [y, argmax] = tf.engine().runKernel(ARGMAX_MAX_POOL, { x: xIn as tf.Tensor }, attrs) as tf.Tensor[];
    (save as tf.GradSaveFunc)([argmax!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => tf.engine().runKernel(ARGMAX_MAX_POOL_GRAD, { dy: dy as tf.Tensor, argmax: saved[0]! }, { ...attrs, inputShape }) as tf.Tensor,
    };
  });
  return f(x) as tf.Tensor4D;
}

function input(inputs: tf.NamedTensorInfoMap, name: string, dtype: 'float32' | 'int32'): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`snnc max pool: missing input \`${name}\``);
  if (t.dtype !== dtype) throw new Error(`snnc max pool: expected ${dtype} \`${name}\`, got ${t.dtype}`);
  return t;
}

function forwardGeometry(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): { x: tf.TensorInfo; g: PoolGeometry; shape: number[] } {
  const x = input(inputs, 'x', 'float32');
  const g = poolGeometry(x.shape, attrs?.['kernelH'], attrs?.['kernelW'], attrs?.['strideH'], attrs?.['strideW']);
  return { x, g, shape: [g.B, g.OH, g.OW, g.C] };
}

/** The geometry from inputShape, with dy (float32) and argmax (int32) checked to have its pooled shape. */
function backwardGeometry(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): { dy: tf.TensorInfo; argmax: tf.TensorInfo; g: PoolGeometry } {
  const inputShape = attrs?.['inputShape'];
  if (!Array.isArray(inputShape)) throw new Error('SnncMaxPoolGrad: expected inputShape (4 positive integers, NHWC)');
  const g = poolGeometry(inputShape as number[], attrs?.['kernelH'], attrs?.['kernelW'], attrs?.['strideH'], attrs?.['strideW']);
  const dy = input(inputs, 'dy', 'float32');
  const argmax = input(inputs, 'argmax', 'int32');
  const want = [g.B, g.OH, g.OW, g.C];
  for (const t of [dy, argmax]) {
    if (t.shape.length !== 4 || t.shape.some((d, i) => d !== want[i])) {
      throw new Error(`SnncMaxPoolGrad: dy and argmax must be [${want.join(', ')}] (the pooled inputShape), got [${t.shape.join(', ')}]`);
    }
  }
  return { dy, argmax, g };
}

const kernels: Record<JsBackend, { forward: tf.KernelFunc; backward: tf.KernelFunc }> = {
  cpu: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuLike;
      const { x, g, shape } = forwardGeometry(inputs, attrs);
      const y = new Float32Array(pooledSize(g));
      const argmax = new Int32Array(pooledSize(g));
      maxPoolForward(g, cpuFloat32(b, x, WHO), y, argmax);
      return [b.makeTensorInfo(shape, 'float32', y), b.makeTensorInfo(shape, 'int32', argmax)];
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuLike;
      const { dy, argmax, g } = backwardGeometry(inputs, attrs);
      const offsets = cpuInt32(b, argmax, WHO);
      checkOffsets(g, offsets);
      const dx = new Float32Array(g.B * g.H * g.W * g.C);
      maxPoolBackward(g, cpuFloat32(b, dy, WHO), offsets, dx);
      return b.makeTensorInfo([g.B, g.H, g.W, g.C], 'float32', dx);
    },
  },
  wasm: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmLike;
      const { x, g, shape } = forwardGeometry(inputs, attrs);
      // Allocate every output before taking heap views: an allocation may grow (and move) the heap.
      const y = b.makeOutput(shape, 'float32');
      const argmax = b.makeOutput(shape, 'int32');
      maxPoolForward(g, heapFloat32(b, x, WHO), heapFloat32(b, y, WHO), heapInt32(b, argmax, WHO));
      return [y, argmax];
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmLike;
      const { dy, argmax, g } = backwardGeometry(inputs, attrs);
      // Checked before dx exists: a refused call leaves no output behind.
      checkOffsets(g, heapInt32(b, argmax, WHO));
      const dx = b.makeOutput([g.B, g.H, g.W, g.C], 'float32');
      maxPoolBackward(g, heapFloat32(b, dy, WHO), heapInt32(b, argmax, WHO), heapFloat32(b, dx, WHO));
      return dx;
    },
  },
};

/** Registers the JS kernels for cpu and wasm in tfjs's global registry; idempotent. */
export function registerArgmaxMaxPoolKernels(): void {
  for (const backendName of ARGMAX_MAX_POOL_JS_BACKENDS) {
    if (tf.getKernel(ARGMAX_MAX_POOL, backendName) === undefined) {
      tf.registerKernel({ kernelName: ARGMAX_MAX_POOL, backendName, kernelFunc: kernels[backendName].forward });
    }
    if (tf.getKernel(ARGMAX_MAX_POOL_GRAD, backendName) === undefined) {
      tf.registerKernel({ kernelName: ARGMAX_MAX_POOL_GRAD, backendName, kernelFunc: kernels[backendName].backward });
    }
  }
}

import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs saves every tensor a gradient needs by running `Identity` on it (Engine.clone, for the
 * tape), and tfjs-wasm's Identity copies the data: ~25 M floats (100 MB) per training step of the
 * report network at a worker's batch of 32, ~10 ms. tfjs's cpu and webgl backends share the data
 * instead (one more reference on it), as tfjs-wasm's own Reshape does; tensors are immutable
 * (a Variable's assign swaps its data, never writes into it), so sharing is safe. This puts
 * that sharing Identity in place of tfjs-wasm's for float32, int32 and bool tensors.
 */
interface WasmRefCounting {
  incRef(dataId: object): void;
}

const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs['x'];
  if (x === undefined) throw new Error('snnc Identity: missing input `x`');
  if (x.dtype === 'string' || x.dtype === 'complex64') return copyingIdentity!({ inputs, backend, attrs: {} }) as tf.TensorInfo;
  (backend as unknown as WasmRefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** tfjs-wasm's own Identity, kept for the dtypes whose data is not on the heap. */
let copyingIdentity: tf.KernelFunc | null = null;

/**
 * Registers the sharing Identity for wasm once tfjs-wasm has registered its kernels (importing it
 * later would put its own back); idempotent. Without tfjs-wasm loaded it does nothing.
 */
export function registerWasmSharedIdentity(): void {
  const current = tf.getKernel(tf.Identity, 'wasm');
  if (current === undefined || current.kernelFunc === sharedIdentity) return;
  copyingIdentity = current.kernelFunc;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ kernelName: tf.Identity, backendName: 'wasm', kernelFunc: sharedIdentity });
}

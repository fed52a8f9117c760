import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Points tfjs-wasm at the bundled binaries, SIMD on one thread. Call before the wasm backend
 * starts, in every worker that uses it (the training worker and its replica workers). The
 * threaded build stays off even on this cross-origin-isolated page: it hangs in a minified
 * bundle (its pthread workers evaluate the factory's source text, which names the bundle's
 * renamed helpers). The editor uses the cores through data-parallel replica workers instead.
 */
export function prepareWasm(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
}

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * The wasm backend in Node: the .wasm binaries are located in the installed package (not
 * next to a bundle), SIMD when the runtime has it; tfjs 4.22 turns wasm threads off in Node.
 * Returns the detail string, or throws an Error whose message is the reason.
 */
export async function loadWasm(): Promise<string> {
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
  // Paths can be set only before the backend initialises (a second loadBackend reuses it).
  if (tf.engine().registry['wasm'] === undefined) setWasmPaths(dist);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
}

import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describeNativeOps, loadNativeOps } from './tf_native_ops.js';

/**
 * Loads `@tensorflow/tfjs-node` (backend `tensorflow`) if it is installed AND its native addon
 * works. It is an optional package: not a dependency (its installer downloads libtensorflow,
 * which fails offline); tools/build-tfjs-node.sh builds it here from the TensorFlow CPU wheel.
 * A package installed with --ignore-scripts has no addon, so requiring it is the only test.
 * Returns the detail string, or throws an Error whose message is the reason.
 */
export async function loadTfjsNode(): Promise<string> {
  const require = createRequire(import.meta.url);
  let mod: { version?: Record<string, string> };
  // TensorFlow prints its startup logs (oneDNN, CPU features) unless told not to.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
  // TensorFlow turns its oneDNN kernels on by default only on CPUs with AVX512-VNNI, BF16 or
  // AMX; on AVX2-only CPUs (this project's 2-core AMD EPYC) it leaves them off, and there
  // oneDNN measured 27 % faster steps and 30 % lower peak memory on SpikingJelly's CSNN, 20-30 %
  // lower peak memory and the same speed on the report's network (docs/benchmarks.md §10).
  // Read when libtensorflow loads, so set before the require; TF_ENABLE_ONEDNN_OPTS=0 opts out.
  process.env['TF_ENABLE_ONEDNN_OPTS'] ??= '1';
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    throw new Error('@tensorflow/tfjs-node is not installed (see tools/build-tfjs-node.sh)');
  }
  try {
    mod = require('@tensorflow/tfjs-node') as typeof mod;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new Error(`@tensorflow/tfjs-node is installed but its native addon does not load (${msg})`);
  }
  // tfjs-node registers its backend in the tfjs-core it requires; if that is another copy
  // than ours, our ops would never reach TensorFlow.
  if (tf.findBackendFactory('tensorflow') === null) {
    throw new Error('@tensorflow/tfjs-node loaded a second copy of @tensorflow/tfjs-core (keep every @tensorflow/* at 4.22.0)');
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend failed to initialise');
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  const tfVersion = binding?.TF_Version ?? 'unknown';
  const onednn = process.env['TF_ENABLE_ONEDNN_OPTS'] === '0' ? ', oneDNN off' : '';
  const native = describeNativeOps(loadNativeOps());
  return `tensorflow (tfjs-node ${mod.version?.['tfjs-node'] ?? '?'}, TensorFlow ${tfVersion}${onednn}, ${native})`;
}

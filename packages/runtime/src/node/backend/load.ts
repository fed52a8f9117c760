import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SnncError, assertNever, type BackendName, type BackendRequest } from '@snnc/ir';
import { registerArgmaxMaxPoolKernels } from '../../kernels/argmax_maxpool.js';
import { registerFusedNeuronKernels } from '../../kernels/fused_neuron.js';
import { registerWasmSharedIdentity } from '../../kernels/wasm_identity.js';
import { registerNodeGradients } from './gradients.js';
import { loadNativeOps } from './tf_native_ops.js';
import { loadTfjsNode } from './tfjs_node.js';
import { loadWasm } from './wasm.js';
import { loadWebgpu } from './webgpu.js';

// One list for the CLI, run records and this loader: @snnc/ir's.
export { BACKEND_REQUESTS, type BackendName, type BackendRequest } from '@snnc/ir';

export interface LoadedBackend {
  name: BackendName;
  /** For printing and run records: `wasm (SIMD, 1 thread)`, `tensorflow (... TensorFlow 2.21.0)`. */
  detail: string;
}


/**
 * Whether the tensorflow backend loads here with snnc's native ops (tfjs-node and the library
 * tools/build-tfjs-node.sh builds); leaves tensorflow active when it does. Never throws: both
 * are optional, and the tests that need them are skipped where this is false.
 */
export async function tensorflowWithNativeOps(): Promise<boolean> {
  try {
    await loadBackend('tensorflow');
    return loadNativeOps().kind === 'loaded';
  } catch {
    return false;
  }
}

/**
 * Makes a tfjs backend active for training. `auto` takes `webgpu` (Dawn, only on a hardware
 * GPU adapter), else `tensorflow` (tfjs-node, when present and working), else `wasm`, else `cpu`. An explicitly requested backend that cannot
 * load throws SnncError SNN7006; it never falls back silently. Also registers what training
 * needs: tfjs's gradients, the fused neuron kernels and the winner-keeping max pool (cpu, wasm;
 * tensorflow gets native ones when built, node/backend/tf_native_ops.ts); the conv/BN gradient
 * choices follow the active backend at run time (kernels/conv2d.ts).
 */
export async function loadBackend(req: BackendRequest): Promise<LoadedBackend> {
  tf.env().set('PROD', true); // silences the cpu backend's "looks like you are running in Node" banner
  registerNodeGradients();
  registerFusedNeuronKernels();
  registerArgmaxMaxPoolKernels();
  registerWasmSharedIdentity();
  // webgpu first only on a real GPU adapter: auto never takes a software one (node/backend/webgpu.ts)
  const order: BackendName[] = req === 'auto' ? ['webgpu', 'tensorflow', 'wasm', 'cpu'] : [req];
  const reasons: string[] = [];
  for (const name of order) {
    try {
      const detail = await loadOne(name, req);
      return { name, detail };
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (req !== 'auto') throw new SnncError('SNN7006', { backend: name, reason }, { cause: e });
      reasons.push(`${name}: ${reason}`);
    }
  }
  throw new SnncError('SNN7006', { backend: req, reason: reasons.join('; ') });
}

async function loadOne(name: BackendName, req: BackendRequest): Promise<string> {
  switch (name) {
    case 'webgpu':
      return loadWebgpu({ allowSoftware: req === 'webgpu' && process.env['SNNC_WEBGPU_ALLOW_FALLBACK'] === '1', probeFirst: req === 'auto' });
    case 'tensorflow':
      return loadTfjsNode();
    case 'wasm':
      return loadWasm();
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
      return 'cpu (JavaScript)';
    default:
      return assertNever(name);
  }
}

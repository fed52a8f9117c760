import * as tf from '@tensorflow/tfjs-core';
import type { ResetMode, SurrogateKind } from '@snnc/ir';
import { NEURON_BACKWARD, NEURON_FORWARD } from '../fused_neuron.js';
import type { FusedNeuronConfig } from '../neuron_loops.js';
import {
  NeuronBackwardProgram,
  NeuronMembraneProgram,
  SpikesFromMembraneProgram,
  type ProgramUniformValue,
  type WebgpuProgram,
} from './neuron_programs.js';

/**
 * Registers the fused neuron kernels (`SnncNeuronForward`, `SnncNeuronBackward`, the names
 * and attributes kernels/fused_neuron.ts uses for cpu and wasm) for tfjs's `webgpu` backend,
 * so `fusedNeuron` and the model's `auto` neuron path run as WGSL compute shaders there.
 * Browser-safe: it touches only tfjs's kernel registry and the backend passed in at run time.
 */
export const WEBGPU_BACKEND = 'webgpu';

/** The part of tfjs-backend-webgpu's WebGPUBackend these kernels call. */
interface WebgpuBackendLike {
  runWebGPUProgram(
    program: WebgpuProgram,
    inputs: tf.TensorInfo[],
    outputDtype: 'float32',
    programDefinedUniform?: ProgramUniformValue[],
    output?: tf.TensorInfo,
  ): tf.TensorInfo;
}

function asWebgpu(backend: unknown): WebgpuBackendLike {
  const b = backend as Partial<WebgpuBackendLike> | null;
  if (b === null || typeof b.runWebGPUProgram !== 'function') {
    throw new Error('webgpu neuron kernel: expected the tfjs webgpu backend (runWebGPUProgram)');
  }
  return b as WebgpuBackendLike;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`webgpu neuron kernel: missing input \`${name}\``);
  if (t.dtype !== 'float32') throw new Error(`webgpu neuron kernel: expected float32 \`${name}\`, got ${t.dtype}`);
  return t;
}

/** The attributes fused_neuron.ts's fusedNeuron passes (its toAttrs), back as a config. */
export function neuronConfigFromAttrs(a: tf.NamedAttrMap | undefined): FusedNeuronConfig {
  if (a === undefined) throw new Error('webgpu neuron kernel: expected attributes');
  const num = (k: string): number => {
    const v = a[k];
    if (typeof v !== 'number') throw new Error(`webgpu neuron kernel: expected a number attribute \`${k}\`, got ${typeof v}`);
    return v;
  };
  const charge = a['charge'] as unknown;
  if (charge !== 'if' && charge !== 'lif') throw new Error(`webgpu neuron kernel: expected charge 'if' or 'lif', got ${String(charge)}`);
  return {
    steps: num('steps'),
    charge,
    invTau: num('invTau'),
    decayInput: a['decayInput'] === true,
    threshold: num('threshold'),
    reset: a['reset'] as ResetMode,
    vReset: num('vReset'),
    detachReset: a['detachReset'] === true,
    surrogate: { kind: a['surrogate'] as SurrogateKind, alpha: num('alpha') },
    staticInput: a['staticInput'] === true,
  };
}

/** Neurons per step: n = rows-per-step * features, checking the T-fold of a sequence input. */
function neuronsPerStep(shape: number[], cfg: FusedNeuronConfig, isSequence: boolean): number {
  const size = tf.util.sizeFromShape(shape);
  const T = cfg.steps;
  if (!Number.isInteger(T) || T < 1) throw new Error(`webgpu neuron kernel: expected steps >= 1, got ${T}`);
  if (!isSequence) return size;
  if (size % T !== 0) throw new Error(`webgpu neuron kernel: expected a size divisible by T=${T}, got [${shape.join(', ')}]`);
  return size / T;
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = asWebgpu(backend);
  const x = input(inputs, 'x');
  const cfg = neuronConfigFromAttrs(attrs);
  const isStatic = cfg.staticInput === true;
  const n = neuronsPerStep(x.shape, cfg, !isStatic);
  const outShape = isStatic ? [x.shape[0]! * cfg.steps, ...x.shape.slice(1)] : [...x.shape];
  const h = b.runWebGPUProgram(new NeuronMembraneProgram(outShape, n, cfg), [x], 'float32', NeuronMembraneProgram.uniformValues(n, cfg));
  const s = b.runWebGPUProgram(
    new SpikesFromMembraneProgram(outShape, n * cfg.steps),
    [h],
    'float32',
    SpikesFromMembraneProgram.uniformValues(cfg),
  );
  return [s, h];
};

const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = asWebgpu(backend);
  const dy = input(inputs, 'dy');
  const s = input(inputs, 's');
  const h = input(inputs, 'h');
  const cfg = neuronConfigFromAttrs(attrs);
  const n = neuronsPerStep(dy.shape, cfg, true);
  const outShape = cfg.staticInput === true ? [dy.shape[0]! / cfg.steps, ...dy.shape.slice(1)] : [...dy.shape];
  return b.runWebGPUProgram(new NeuronBackwardProgram(outShape, n, cfg), [dy, s, h], 'float32', NeuronBackwardProgram.uniformValues(n, cfg));
};

/** Registers both kernels for `webgpu` in tfjs's global registry; idempotent. */
export function registerWebgpuNeuronKernels(): void {
  if (tf.getKernel(NEURON_FORWARD, WEBGPU_BACKEND) === undefined) {
    tf.registerKernel({ kernelName: NEURON_FORWARD, backendName: WEBGPU_BACKEND, kernelFunc: forward });
  }
  if (tf.getKernel(NEURON_BACKWARD, WEBGPU_BACKEND) === undefined) {
    tf.registerKernel({ kernelName: NEURON_BACKWARD, backendName: WEBGPU_BACKEND, kernelFunc: backward });
  }
}

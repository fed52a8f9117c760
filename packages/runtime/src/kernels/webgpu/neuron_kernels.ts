import * as tf from '@tensorflow/tfjs-core';
import { emitWgslBackward, emitWgslForward, type WgslRun } from '../codegen/emit-wgsl.js';
import { forwardOutputs, fusedAttrs, NEURON_BACKWARD, NEURON_FORWARD, perStep, seqShape, xShape, type FusedNeuronAttrs } from '../fused_neuron.js';
import { NeuronPlanProgram } from './neuron_programs.js';
import type { ProgramUniformValue, WebgpuProgram } from './webgpu_program.js';

/**
 * Registers the fused neuron kernels (`SnncNeuronForward`, `SnncNeuronBackward`, with the
 * attributes of kernels/fused_neuron.ts) for tfjs's `webgpu` backend: WGSL emitted at run time
 * from the plan in the `key` attribute (codegen/emit-wgsl.ts), so any neuron with a kernel plan
 * runs fused there. Browser-safe: it touches only tfjs's kernel registry and the backend
 * passed in at run time.
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

function runOf(a: FusedNeuronAttrs, n: number): WgslRun {
  return { steps: a.steps, n, refractorySteps: a.refractorySteps, alpha: a.surrogate.alpha, constants: a.constants };
}

const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = asWebgpu(backend);
  const x = input(inputs, 'x');
  const a = fusedAttrs(attrs);
  const shape = seqShape(x, a);
  const n = perStep(tf.util.sizeFromShape(shape), tf.util.sizeFromShape(x.shape), a);
  const run = runOf(a, n);
  // one program per output (see emit-wgsl.ts): each runs the recurrence and stores one value
  return Array.from({ length: forwardOutputs(a) }, (_, o) => {
    const emitted = emitWgslForward(a.key, o, a.staticInput);
    return b.runWebGPUProgram(new NeuronPlanProgram(shape, n, emitted), emitted.inputs.map((name) => input(inputs, name)), 'float32', emitted.uniformValues(run));
  });
};

const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = asWebgpu(backend);
  const a = fusedAttrs(attrs);
  const dy = input(inputs, 'dy');
  const shape = xShape(dy, a);
  const n = perStep(tf.util.sizeFromShape(dy.shape), tf.util.sizeFromShape(shape), a);
  const emitted = emitWgslBackward(a.key, a.staticInput, a.surrogate.kind);
  // the saved tensors the emitted code reads (a plan's backward needs not read all of them)
  const tensors = emitted.inputs.map((name) => input(inputs, name));
  return b.runWebGPUProgram(new NeuronPlanProgram(shape, n, emitted), tensors, 'float32', emitted.uniformValues(runOf(a, n)));
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

import * as tf from '@tensorflow/tfjs-core';
import type { ResetMode, SurrogateKind } from '@snnc/ir';
import { neuronBackward, neuronForward, type FusedNeuronConfig } from './neuron_loops.js';

/**
 * The fused multi-step neuron as tfjs kernels: `SnncNeuronForward` (x -> [s, h]) and
 * `SnncNeuronBackward` ({dy, s, h} -> dx), each one pass over all T steps on the backend's
 * own typed arrays, registered for `cpu` (JS Float32Arrays) and `wasm` (views of the wasm
 * heap). Not registered for `tensorflow`: there the data would have to be copied out of
 * TensorFlow and back, which measured slower than the composed ops (docs/runtime.md).
 */
export const NEURON_FORWARD = 'SnncNeuronForward';
export const NEURON_BACKWARD = 'SnncNeuronBackward';
export const FUSED_BACKENDS = ['cpu', 'wasm'] as const;
export type FusedBackend = (typeof FUSED_BACKENDS)[number];

/** The cpu backend's storage, structurally (avoids importing backend-cpu types). */
interface CpuLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
/** The wasm backend's heap access (BackendWasm.makeOutput / typedArrayFromHeap). */
interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

function toAttrs(cfg: FusedNeuronConfig): tf.NamedAttrMap {
  return {
    steps: cfg.steps,
    charge: cfg.charge,
    invTau: cfg.invTau,
    decayInput: cfg.decayInput,
    threshold: cfg.threshold,
    reset: cfg.reset,
    vReset: cfg.vReset,
    detachReset: cfg.detachReset,
    surrogate: cfg.surrogate.kind,
    alpha: cfg.surrogate.alpha,
    staticInput: cfg.staticInput === true,
  };
}

function fromAttrs(a: tf.NamedAttrMap | undefined): FusedNeuronConfig {
  if (a === undefined) throw new Error('fused neuron kernel: expected attributes');
  return {
    steps: a['steps'] as number,
    charge: a['charge'] as 'if' | 'lif',
    invTau: a['invTau'] as number,
    decayInput: a['decayInput'] as boolean,
    threshold: a['threshold'] as number,
    reset: a['reset'] as ResetMode,
    vReset: a['vReset'] as number,
    detachReset: a['detachReset'] as boolean,
    surrogate: { kind: a['surrogate'] as SurrogateKind, alpha: a['alpha'] as number },
    staticInput: a['staticInput'] === true,
  };
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`fused neuron kernel: missing input \`${name}\``);
  if (t.dtype !== 'float32') throw new Error(`fused neuron kernel: expected float32 \`${name}\`, got ${t.dtype}`);
  return t;
}

function cpuValues(b: CpuLike, t: tf.TensorInfo): Float32Array {
  const v = b.data.get(t.dataId).values;
  if (!(v instanceof Float32Array)) throw new Error('fused neuron kernel (cpu): expected Float32Array storage');
  return v;
}

/** Output shape: the input's, or T times its rows for a static input. */
function seqShape(x: tf.TensorInfo, cfg: FusedNeuronConfig): number[] {
  return cfg.staticInput ? [x.shape[0]! * cfg.steps, ...x.shape.slice(1)] : [...x.shape];
}

/** Input-gradient shape: dy's, or one step's rows for a static input. */
function xShape(dy: tf.TensorInfo, cfg: FusedNeuronConfig): number[] {
  return cfg.staticInput ? [dy.shape[0]! / cfg.steps, ...dy.shape.slice(1)] : [...dy.shape];
}

const kernels: Record<FusedBackend, { forward: tf.KernelFunc; backward: tf.KernelFunc }> = {
  cpu: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as CpuLike;
      const x = input(inputs, 'x');
      const cfg = fromAttrs(attrs);
      const shape = seqShape(x, cfg);
      const size = tf.util.sizeFromShape(shape);
      const s = new Float32Array(size);
      const h = new Float32Array(size);
      neuronForward(cpuValues(b, x), s, h, cfg);
      return [b.makeTensorInfo(shape, 'float32', s), b.makeTensorInfo(shape, 'float32', h)];
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as CpuLike;
      const dy = input(inputs, 'dy');
      const cfg = fromAttrs(attrs);
      const shape = xShape(dy, cfg);
      const dx = new Float32Array(tf.util.sizeFromShape(shape));
      neuronBackward(cpuValues(b, dy), cpuValues(b, input(inputs, 's')), cpuValues(b, input(inputs, 'h')), dx, cfg);
      return b.makeTensorInfo(shape, 'float32', dx);
    },
  },
  wasm: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as WasmLike;
      const x = input(inputs, 'x');
      const cfg = fromAttrs(attrs);
      // Allocate every output before taking heap views: an allocation may grow (and move) the heap.
      const s = b.makeOutput(seqShape(x, cfg), 'float32');
      const h = b.makeOutput(seqShape(x, cfg), 'float32');
      neuronForward(b.typedArrayFromHeap(x), b.typedArrayFromHeap(s), b.typedArrayFromHeap(h), cfg);
      return [s, h];
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as WasmLike;
      const dy = input(inputs, 'dy');
      const sIn = input(inputs, 's');
      const hIn = input(inputs, 'h');
      const cfg = fromAttrs(attrs);
      const dx = b.makeOutput(xShape(dy, cfg), 'float32');
      const view = (t: tf.TensorInfo) => b.typedArrayFromHeap(t);
      neuronBackward(view(dy), view(sIn), view(hIn), view(dx), cfg);
      return dx;
    },
  },
};

/** Registers the fused kernels for cpu and wasm in tfjs's global registry; idempotent. */
export function registerFusedNeuronKernels(): void {
  for (const backendName of FUSED_BACKENDS) {
    if (tf.getKernel(NEURON_FORWARD, backendName) === undefined) {
      tf.registerKernel({ kernelName: NEURON_FORWARD, backendName, kernelFunc: kernels[backendName].forward });
    }
    if (tf.getKernel(NEURON_BACKWARD, backendName) === undefined) {
      tf.registerKernel({ kernelName: NEURON_BACKWARD, backendName, kernelFunc: kernels[backendName].backward });
    }
  }
}

/** Whether the active backend has the fused kernels. */
export function fusedNeuronAvailable(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(NEURON_FORWARD, backendName) !== undefined && tf.getKernel(NEURON_BACKWARD, backendName) !== undefined;
}

/**
 * The fused multi-step neuron: x [T*B, ...] time-major (or [B, ...] repeated at every step
 * with `staticInput`) -> spikes [T*B, ...], with the surrogate gradient in the backward
 * kernel. Needs the kernels registered for the active backend.
 */
export function fusedNeuron(x: tf.Tensor, cfg: FusedNeuronConfig): tf.Tensor {
  const attrs = toAttrs(cfg);
  const f = tf.customGrad((xIn, save) => {
    const outs = tf.engine().runKernel(NEURON_FORWARD, { x: xIn as tf.Tensor }, attrs) as tf.Tensor[];
    const [s, h] = outs as [tf.Tensor, tf.Tensor];
    (save as tf.GradSaveFunc)([s, h]);
    return {
      value: s,
      gradFunc: (dy, saved) =>
        tf.engine().runKernel(NEURON_BACKWARD, { dy, s: saved[0]!, h: saved[1]! }, attrs) as tf.Tensor,
    };
  });
  return f(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}

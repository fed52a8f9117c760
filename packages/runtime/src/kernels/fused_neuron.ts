import * as tf from '@tensorflow/tfjs-core';
import { planHash, type LiftedPlan, type Surrogate, type SurrogateKind } from '@snnc/ir';
import { surrogateDerivative } from '../model/surrogate.js';
import type { GeneratedNeuronKernel } from './codegen/kernel-types.js';
import { cpuFloat32, heapFloat32, type CpuLike, type WasmLike } from './js_backend_memory.js';
import { GENERATED_NEURON_KERNELS } from './generated/neuron-kernels.generated.js';

/**
 * The fused multi-step neuron as tfjs kernels: `SnncNeuronForward` (x -> [y, h_0 .. h_{k-1},
 * (blocked)]) and `SnncNeuronBackward` ({dy, y, h_i, (b), (x)} -> dx), each one pass over all T
 * steps. The maths comes from the neuron's kernel plan (@snnc/ir `neuronKernelPlan`, derived
 * from its `.snn` definition): on `cpu` and `wasm` as the JS loops generated from it at build
 * time (kernels/generated/, by tools/codegen/neuron-kernels.mjs), on `webgpu` as WGSL emitted
 * from it (webgpu/), and on `tensorflow` as the native TensorFlow ops compiled from C generated
 * from it (packages/runtime/native/, registered by node/backend/tf_native_ops.ts when built).
 * A JS kernel is never registered for `tensorflow`: copying data out of TensorFlow and back costs
 * more than it saves; without the native ops plan_bptt.ts runs the plan as tfjs ops there.
 */
export const NEURON_FORWARD = 'SnncNeuronForward';
const WHO = 'fused neuron kernel';
export const NEURON_BACKWARD = 'SnncNeuronBackward';
export const FUSED_BACKENDS = ['cpu', 'wasm'] as const;
export type FusedBackend = (typeof FUSED_BACKENDS)[number];

/** One fused neuron layer's call: the lifted plan and how its input is laid out. */
export interface FusedNeuronCall {
  lifted: LiftedPlan;
  steps: number;
  /**
   * The input is one static frame [B, ...] repeated at every step (direct encoding): the
   * forward reads it T times and the backward sums its gradient over T.
   */
  staticInput: boolean;
  surrogate: Surrogate;
}

/** What the kernels read from their attributes (tfjs attributes are plain values). */
export interface FusedNeuronAttrs {
  steps: number;
  staticInput: boolean;
  /** @snnc/ir `planHash(key)`: the generated JS kernel's name. */
  hash: string;
  /** The lifted plan's key: JSON of the plan (backends that emit code at run time parse it). */
  key: string;
  constants: number[];
  states: number;
  refractorySteps: number;
  spiking: boolean;
  readsInput: boolean;
  surrogate: Surrogate;
}

function toAttrs(c: FusedNeuronCall): tf.NamedAttrMap {
  const p = c.lifted.plan;
  return {
    steps: c.steps,
    staticInput: c.staticInput,
    hash: planHash(c.lifted.key),
    key: c.lifted.key,
    constants: c.lifted.constants,
    states: p.state.length,
    refractorySteps: p.refractorySteps,
    spiking: p.spike !== null,
    readsInput: p.backwardReadsInput,
    surrogate: c.surrogate.kind,
    alpha: c.surrogate.alpha,
  };
}

export function fusedAttrs(a: tf.NamedAttrMap | undefined): FusedNeuronAttrs {
  if (a === undefined) throw new Error('fused neuron kernel: expected attributes');
  return {
    steps: a['steps'] as number,
    staticInput: a['staticInput'] === true,
    hash: a['hash'] as string,
    key: a['key'] as string,
    constants: a['constants'] as number[],
    states: a['states'] as number,
    refractorySteps: a['refractorySteps'] as number,
    spiking: a['spiking'] === true,
    readsInput: a['readsInput'] === true,
    surrogate: { kind: a['surrogate'] as SurrogateKind, alpha: a['alpha'] as number },
  };
}

/** Number of forward outputs: y, one h per state, and the refractory mask where there is one. */
export function forwardOutputs(a: FusedNeuronAttrs): number {
  return 1 + a.states + (a.refractorySteps > 0 ? 1 : 0);
}

/** The generated JS kernel of a plan's shape, or undefined (then the plan runs as tfjs ops). */
export function generatedKernel(lifted: LiftedPlan): GeneratedNeuronKernel | undefined {
  const k = GENERATED_NEURON_KERNELS.get(planHash(lifted.key));
  return k !== undefined && k.key === lifted.key ? k : undefined;
}

function kernelOf(a: FusedNeuronAttrs): GeneratedNeuronKernel {
  const k = GENERATED_NEURON_KERNELS.get(a.hash);
  if (k === undefined || k.key !== a.key) throw new Error(`fused neuron kernel: no generated kernel for plan ${a.hash}`);
  return k;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`fused neuron kernel: missing input \`${name}\``);
  if (t.dtype !== 'float32') throw new Error(`fused neuron kernel: expected float32 \`${name}\`, got ${t.dtype}`);
  return t;
}

/** The inputs of the backward kernel after dy, in order: y, h_i, (b). */
export function savedNames(a: FusedNeuronAttrs): string[] {
  return ['y', ...Array.from({ length: a.states }, (_, i) => `h${i}`), ...(a.refractorySteps > 0 ? ['b'] : [])];
}

/** Output shape: the input's, or T times its rows for a static input. */
export function seqShape(x: tf.TensorInfo, a: FusedNeuronAttrs): number[] {
  return a.staticInput ? [x.shape[0]! * a.steps, ...x.shape.slice(1)] : [...x.shape];
}

/** Input-gradient shape: dy's, or one step's rows for a static input. */
export function xShape(dy: tf.TensorInfo, a: FusedNeuronAttrs): number[] {
  return a.staticInput ? [dy.shape[0]! / a.steps, ...dy.shape.slice(1)] : [...dy.shape];
}

/** Neurons per step, checking the layout (size divisible by T; x's size matches). */
export function perStep(size: number, xSize: number, a: FusedNeuronAttrs): number {
  const T = a.steps;
  if (!Number.isInteger(T) || T < 1 || size % T !== 0) throw new Error(`fused neuron: expected a size divisible by T=${T}, got ${size}`);
  const n = size / T;
  const want = a.staticInput ? n : size;
  if (xSize !== want) throw new Error(`fused neuron: input has ${xSize} values, expected ${want}`);
  return n;
}

type Views = (t: tf.TensorInfo) => Float32Array;

function runForward(x: tf.TensorInfo, outs: Float32Array[], view: Views, a: FusedNeuronAttrs, shape: number[]): void {
  const size = tf.util.sizeFromShape(shape);
  const n = perStep(size, tf.util.sizeFromShape(x.shape), a);
  kernelOf(a).forward(view(x), outs, a.constants, a.steps, n, a.staticInput ? 0 : n, a.refractorySteps);
}

function runBackward(inputs: tf.NamedTensorInfoMap, dx: Float32Array, view: Views, a: FusedNeuronAttrs): void {
  const dy = input(inputs, 'dy');
  const size = tf.util.sizeFromShape(dy.shape);
  const n = perStep(size, dx.length, a);
  const saved = savedNames(a).map((name) => view(input(inputs, name)));
  const x = a.readsInput ? view(input(inputs, 'x')) : null;
  kernelOf(a).backward(view(dy), saved, x, dx, a.constants, a.steps, n, a.staticInput ? 0 : n, surrogateDerivative(a.surrogate));
}

const kernels: Record<FusedBackend, { forward: tf.KernelFunc; backward: tf.KernelFunc }> = {
  cpu: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuLike;
      const x = input(inputs, 'x');
      const a = fusedAttrs(attrs);
      const shape = seqShape(x, a);
      const outs = Array.from({ length: forwardOutputs(a) }, () => new Float32Array(tf.util.sizeFromShape(shape)));
      runForward(x, outs, (t) => cpuFloat32(b, t, WHO), a, shape);
      return outs.map((o) => b.makeTensorInfo(shape, 'float32', o));
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuLike;
      const a = fusedAttrs(attrs);
      const shape = xShape(input(inputs, 'dy'), a);
      const dx = new Float32Array(tf.util.sizeFromShape(shape));
      runBackward(inputs, dx, (t) => cpuFloat32(b, t, WHO), a);
      return b.makeTensorInfo(shape, 'float32', dx);
    },
  },
  wasm: {
    forward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmLike;
      const x = input(inputs, 'x');
      const a = fusedAttrs(attrs);
      const shape = seqShape(x, a);
      // Allocate every output before taking heap views: an allocation may grow (and move) the heap.
      const infos = Array.from({ length: forwardOutputs(a) }, () => b.makeOutput(shape, 'float32'));
      const view = (t: tf.TensorInfo) => heapFloat32(b, t, WHO);
      runForward(x, infos.map(view), view, a, shape);
      return infos;
    },
    backward: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as WasmLike;
      const a = fusedAttrs(attrs);
      const dxInfo = b.makeOutput(xShape(input(inputs, 'dy'), a), 'float32');
      const view = (t: tf.TensorInfo) => heapFloat32(b, t, WHO);
      runBackward(inputs, view(dxInfo), view, a);
      return dxInfo;
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

/**
 * Backends whose fused kernels are a native library compiled from the generated kernels: they
 * run exactly the plan shapes the library holds (by planHash).
 */
const nativeShapes = new Map<string, ReadonlySet<string>>();

/** Registers a native library's fused kernels for `backendName`; `shapes` are the plan hashes it holds. */
export function registerNativeFusedKernels(backendName: string, shapes: ReadonlySet<string>, forward: tf.KernelFunc, backward: tf.KernelFunc): void {
  tf.registerKernel({ kernelName: NEURON_FORWARD, backendName, kernelFunc: forward });
  tf.registerKernel({ kernelName: NEURON_BACKWARD, backendName, kernelFunc: backward });
  nativeShapes.set(backendName, shapes);
}

/** Whether the active backend has the fused kernels. */
export function fusedNeuronAvailable(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(NEURON_FORWARD, backendName) !== undefined && tf.getKernel(NEURON_BACKWARD, backendName) !== undefined;
}

/**
 * Whether the active backend can run this plan fused: the JS backends need its generated
 * kernel, a native library (tensorflow) its compiled one; backends that emit code at run time
 * (webgpu) take any plan.
 */
export function fusedNeuronRuns(lifted: LiftedPlan, backendName: string = tf.getBackend()): boolean {
  if (!fusedNeuronAvailable(backendName)) return false;
  const native = nativeShapes.get(backendName);
  if (native !== undefined) return generatedKernel(lifted) !== undefined && native.has(planHash(lifted.key));
  return (FUSED_BACKENDS as readonly string[]).includes(backendName) ? generatedKernel(lifted) !== undefined : true;
}

/**
 * The fused multi-step neuron: x [T*B, ...] time-major (or [B, ...] repeated at every step
 * with `staticInput`) -> y [T*B, ...] (spikes, or the membrane of a non-spiking neuron), with
 * the surrogate gradient in the backward kernel. Needs the kernels for the active backend.
 */
export function fusedNeuron(x: tf.Tensor, call: FusedNeuronCall): tf.Tensor {
  const attrs = toAttrs(call);
  const a = fusedAttrs(attrs);
  const names = savedNames(a);
  const f = tf.customGrad((xIn, save) => {
    const xt = xIn as tf.Tensor;
    const outs = tf.engine().runKernel(NEURON_FORWARD, { x: xt }, attrs) as tf.Tensor[];
    (save as tf.GradSaveFunc)(a.readsInput ? [...outs, xt] : outs);
    return {
      value: outs[0]!,
      gradFunc: (dy, saved) => {
        const inputs: tf.NamedTensorMap = { dy: dy as tf.Tensor };
        names.forEach((name, i) => (inputs[name] = saved[i]!));
        if (a.readsInput) inputs['x'] = saved[names.length]!;
        return tf.engine().runKernel(NEURON_BACKWARD, inputs, attrs) as tf.Tensor;
      },
    };
  });
  return f(x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
}

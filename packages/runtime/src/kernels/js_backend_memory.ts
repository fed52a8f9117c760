import type * as tf from '@tensorflow/tfjs-core';

/**
 * How the JS kernels (fused neuron, max pool, batch norm) reach the cpu and wasm backends'
 * memory, structurally, so no backend package's types are imported. On wasm, allocate every
 * output before taking any heap view: an allocation may grow (and move) the heap.
 */

/** The cpu backend's storage: typed arrays per tensor. */
export interface CpuLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32' | 'int32', values: Float32Array | Int32Array): tf.TensorInfo;
}

/** The wasm backend's heap access (BackendWasm.makeOutput / typedArrayFromHeap). */
export interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
}

function checked<A extends Float32Array | Int32Array>(v: unknown, type: new (n: number) => A, who: string): A {
  if (!(v instanceof type)) throw new Error(`${who}: expected ${type.name} storage`);
  return v;
}

/** A float32 tensor's values on cpu; `who` names the kernel in the error. */
export function cpuFloat32(b: CpuLike, t: tf.TensorInfo, who: string): Float32Array {
  return checked(b.data.get(t.dataId).values, Float32Array, who);
}

/** An int32 tensor's values on cpu. */
export function cpuInt32(b: CpuLike, t: tf.TensorInfo, who: string): Int32Array {
  return checked(b.data.get(t.dataId).values, Int32Array, who);
}

/** A float32 tensor's view of the wasm heap. */
export function heapFloat32(b: WasmLike, t: tf.TensorInfo, who: string): Float32Array {
  return checked(b.typedArrayFromHeap(t), Float32Array, who);
}

/** An int32 tensor's view of the wasm heap. */
export function heapInt32(b: WasmLike, t: tf.TensorInfo, who: string): Int32Array {
  return checked(b.typedArrayFromHeap(t), Int32Array, who);
}

export * from './model/index.js';
export * from './train/index.js';
export * from './weights/index.js';
// The fused neuron kernels for tfjs's WebGPU backend (the browser registers them after choosing it).
export { registerWebgpuNeuronKernels } from './kernels/webgpu/index.js';
export { emitKernel, type EmittedKernel } from './kernels/codegen/emit-js.js';
export { emitCKernel, type EmittedCKernel } from './kernels/codegen/emit-c.js';

export { WEBGPU_BACKEND, registerWebgpuNeuronKernels } from './neuron_kernels.js';
export { NeuronPlanProgram } from './neuron_programs.js';
export { surrogateWgsl } from './surrogate_wgsl.js';
export type { ProgramUniformValue, WebgpuProgram } from './webgpu_program.js';

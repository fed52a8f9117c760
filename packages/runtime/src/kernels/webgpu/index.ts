export { WEBGPU_BACKEND, neuronConfigFromAttrs, registerWebgpuNeuronKernels } from './neuron_kernels.js';
export {
  NeuronBackwardProgram,
  NeuronMembraneProgram,
  SpikesFromMembraneProgram,
  surrogateWgsl,
  type ProgramUniformValue,
  type WebgpuProgram,
} from './neuron_programs.js';

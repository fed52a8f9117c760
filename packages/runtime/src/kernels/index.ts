export { conv2d, convGradientFor, filterGradIm2col, inputGradFlipped, type Conv2dOptions, type ConvGradient } from './conv2d.js';
export { affineBatchNorm, batchNormTrain, channelMoments } from './batchnorm.js';
export {
  FUSED_BACKENDS,
  NEURON_BACKWARD,
  NEURON_FORWARD,
  fusedNeuron,
  fusedNeuronAvailable,
  registerFusedNeuronKernels,
  type FusedBackend,
} from './fused_neuron.js';
export { neuronBackward, neuronForward, type FusedNeuronConfig } from './neuron_loops.js';
export { assertGradientsRegistered, gradientsRegistered } from './gradients.js';
export { bpttNeuron } from './neuron_bptt.js';

export { conv2d, convGradientFor, filterGradIm2col, inputGradFlipped, type Conv2dOptions, type ConvGradient } from './conv2d.js';
export { denseMatMul, matMulGradientFor, type MatMulGradient } from './dense_matmul.js';
export { affineBatchNorm, batchNormTrain, channelMoments } from './batchnorm.js';
export {
  FUSED_BACKENDS,
  NEURON_BACKWARD,
  NEURON_FORWARD,
  fusedNeuron,
  fusedNeuronAvailable,
  fusedNeuronRuns,
  generatedKernel,
  registerFusedNeuronKernels,
  type FusedBackend,
  type FusedNeuronCall,
} from './fused_neuron.js';
export { assertGradientsRegistered, gradientsRegistered } from './gradients.js';
export { planBpttNeuron, type PlanBpttCall } from './plan_bptt.js';
export { ARGMAX_MAX_POOL, ARGMAX_MAX_POOL_GRAD, argmaxMaxPool, argmaxMaxPoolAvailable } from './argmax_maxpool.js';

export { buildNetwork, type BuildOptions, type ForwardOptions, type LayerProbe, type LayerSpikes, type LayerTrace, type SnnNetwork } from './network.js';
export { buildNeuron, neuronPlanFor, type NeuronImpl, type NeuronPlans, type NeuronRuntime } from './layers/neuron.js';
export { toRuntimeShape } from './layout.js';
export { encode, latencyEncode, poissonEncode } from './encoder.js';
export { decode } from './decoder.js';
export { spikeFunction, surrogateDerivative, surrogateDerivativeTensor } from './surrogate.js';
export {
  conv2d,
  convGradientFor,
  fusedNeuron,
  fusedNeuronAvailable,
  argmaxMaxPool,
  argmaxMaxPoolAvailable,
  fusedNeuronRuns,
  generatedKernel,
  NEURON_FORWARD,
  planBpttNeuron,
  registerFusedNeuronKernels,
  type ConvGradient,
  type FusedNeuronCall,
  type PlanBpttCall,
} from '../kernels/index.js';
export { applyWeightInit, initBound, kernelFans } from './weight-init.js';

export { chainOf, ImportError, type ChainNode } from './chain.js';
export { formatNumber, formatSeconds } from './numbers.js';
export { planImport, type ImportedLayer, type ImportedTensor, type ImportOptions, type ImportPlan } from './plan.js';
export { plannedWeights, type NamedWeight } from './weights.js';
export { readWeightsPragma, weightsPragma } from './pragma.js';

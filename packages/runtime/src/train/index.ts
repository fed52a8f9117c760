export * from './codes/index.js';
export { checkFit, dataShape } from './compat.js';
export { evaluateNetwork, evaluationRng, type EvaluateOptions, type Evaluation } from './evaluate.js';
export { bitCrossEntropy, makeLoss, mseLoss, softmaxCrossEntropy, type LossFn } from './losses.js';
export { formatEpochLine, type BatchProgress, type EpochMetrics } from './metrics.js';
export * from './optim/index.js';
export { loadRng, saveRng, type RngState } from './rng-state.js';
export { Trainer, type RunCallbacks, type RunOutcome, type TrainerOptions, type TrainerSnapshot, type TrainerState } from './trainer.js';
export * from '../data/index.js';

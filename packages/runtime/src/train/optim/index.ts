import { assertNever, type Optimizer as OptimizerSpec } from '@snnc/ir';
import { adam } from './adam.js';
import type { Optimizer, Param } from './optimizer.js';
import { sgd } from './sgd.js';

export { adam, type AdamConfig } from './adam.js';
export type { Optimizer, OptimizerSnapshot, Param } from './optimizer.js';
export { learningRate } from './schedule.js';
export { sgd, type SgdConfig } from './sgd.js';

/** The optimizer an experiment names, over `params`. */
export function makeOptimizer(spec: OptimizerSpec, params: readonly Param[]): Optimizer {
  switch (spec.kind) {
    case 'adam':
    case 'adamw':
      return adam(params, { beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps, weightDecay: spec.weightDecay, decoupled: spec.kind === 'adamw' });
    case 'sgd':
      return sgd(params, { momentum: spec.momentum, nesterov: spec.nesterov, weightDecay: spec.weightDecay });
    default:
      return assertNever(spec);
  }
}

export type { BuiltConnection, BuiltEnsemble, BuiltInput, BuiltNetwork, BuiltProbe, BuiltSource } from './built.js';
export { activities, buildNetwork, buildNetworkAsync, evalPointCount, sampleEnsemble, solveJob, type BuildOptions, type EvalPointRule, type SolveJob, type SolveResult } from './build.js';
export { createSimulator, lowpassDecay, type ProbeData, type RunOptions, type Simulator } from './simulator.js';
export { fillRates, gainBias, hasVoltage, isSpiking, makeNeuronStep, maxFiringRate, rateOf, type NeuronState, type NeuronStep } from './neurons.js';
export { cholesky, choleskySolve, gram, lstsqL2, type LstsqL2Result } from './solver.js';
export { meanOfLast, rmse, RMSE_SKIP_SECONDS, summarizeProbe, type ColumnSummary, type ProbeSummary } from './metrics.js';
export { deriveSeed } from './seeds.js';
export * as nefIr from './ir-builders.js';

import type { Network } from '@snnc/ir';
import { buildNetwork, type BuildOptions } from './build.js';
import { createSimulator, type Simulator } from './simulator.js';

/** Build and create a simulator in one call. */
export function simulate(net: Network, opts: BuildOptions = {}): Simulator {
  return createSimulator(buildNetwork(net, opts));
}
export { activityLine, activityRows, networkActivity, type EnsembleActivity, type NetworkActivity } from './activity.js';

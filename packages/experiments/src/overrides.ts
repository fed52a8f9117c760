import type { Experiment } from '@snnc/ir';
import type { QuickOverrides } from './types.js';

/**
 * The experiment as it will be trained: `epochs`, `batch`, `lr` and `seed` from the command line
 * replace the spec's values (the limits stay run options). Returns a new object.
 */
export function applyOverrides(experiment: Experiment, overrides: QuickOverrides): Experiment {
  const out: Experiment = structuredClone(experiment);
  if (overrides.epochs !== undefined) out.epochs = overrides.epochs;
  if (overrides.batch !== undefined) out.batch = overrides.batch;
  if (overrides.seed !== undefined) out.seed = overrides.seed;
  if (overrides.lr !== undefined) {
    out.optimizer = { ...out.optimizer, lr: overrides.lr };
    // a cosine floor above the new rate would make the schedule rise (as `snnc run` does)
    if (out.schedule.kind === 'cosine' && out.schedule.minLr > overrides.lr) out.schedule = { ...out.schedule, minLr: overrides.lr };
  }
  return out;
}

/** The overrides that were actually given, without undefined holes (for records and hashes). */
export function definedOverrides(overrides: QuickOverrides): QuickOverrides {
  const out: QuickOverrides = {};
  for (const key of ['epochs', 'batch', 'lr', 'seed', 'trainLimit', 'testLimit'] as const) {
    const v = overrides[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

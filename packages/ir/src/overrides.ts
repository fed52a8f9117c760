import { SnncError } from './diagnostic.js';
import type { Experiment } from './ir.js';

/**
 * Command-line changes to an experiment (`snnc run --epochs 1 --lr 0.001 ...`), shared by
 * `snnc run`, `snnc sweep`, the queue and replays. `epochs`, `batch`, `lr` and `seed` are baked
 * into the experiment before training (so the recorded spec is what ran); the limits are run
 * options, since the IR has no notion of a data subset.
 */
export interface RunOverrides {
  epochs?: number;
  /** Train on the first N training samples only. */
  trainLimit?: number;
  /** Evaluate on the first N test samples only. */
  testLimit?: number;
  batch?: number;
  lr?: number;
  seed?: number;
}

const KEYS = ['epochs', 'batch', 'lr', 'seed', 'trainLimit', 'testLimit'] as const;

function positiveInt(flag: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
    throw new SnncError('SNN9003', { message: `--${flag} must be a positive integer, got ${v}` });
  }
}

/**
 * The experiment as it will be trained, overrides applied (a copy). Bad values are SnncError
 * SNN9003 naming the flag: overrides also arrive from records and queue jobs, not only flags.
 */
export function applyOverrides(e: Experiment, o: RunOverrides): Experiment {
  positiveInt('epochs', o.epochs);
  positiveInt('batch', o.batch);
  positiveInt('train-limit', o.trainLimit);
  positiveInt('test-limit', o.testLimit);
  if (o.lr !== undefined && !(o.lr > 0 && Number.isFinite(o.lr))) throw new SnncError('SNN9003', { message: `--lr must be a positive number, got ${o.lr}` });
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0)) throw new SnncError('SNN9003', { message: `--seed must be a non-negative integer, got ${o.seed}` });
  const out: Experiment = structuredClone(e);
  if (o.epochs !== undefined) out.epochs = o.epochs;
  if (o.batch !== undefined) out.batch = o.batch;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.lr !== undefined) {
    out.optimizer = { ...out.optimizer, lr: o.lr };
    // a cosine floor above the new rate would make the schedule rise
    if (out.schedule.kind === 'cosine' && out.schedule.minLr > o.lr) out.schedule = { ...out.schedule, minLr: o.lr };
  }
  return out;
}

/** The overrides that were given, without undefined holes (for records and hashes); other fields of `o` are dropped. */
export function definedOverrides(o: RunOverrides): RunOverrides {
  const out: RunOverrides = {};
  for (const key of KEYS) {
    const v = o[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

import { SnncError, type Experiment } from '@snnc/ir';

/** Command-line changes to an experiment (`snnc run --epochs 1 --lr 0.001 ...`). */
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

function positiveInt(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
    throw new SnncError('SNN9003', { message: `--${name} must be a positive integer, got ${v}` });
  }
}

/** The experiment with the overrides applied (a copy); bad values are SnncError SNN9003. */
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

/** Fields (dotted paths) in which two experiments differ, ignoring source ranges. */
export function experimentDiff(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? [] : [at || '(value)'];
  if (Array.isArray(a) !== Array.isArray(b)) return [at || '(value)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('range');
  const out: string[] = [];
  for (const k of keys) out.push(...experimentDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  return out;
}

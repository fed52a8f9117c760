import type { Experiment, SweepValue } from '@snnc/ir';
import type { RunData } from '../types.js';

/**
 * The descriptive fields of an experiment, flattened to sweep-style paths (`batch`,
 * `optimizer.lr`, `model.conv`). Used to find what differs between runs that were not
 * started as one sweep.
 */
export function describeExperiment(e: Experiment): Record<string, SweepValue> {
  const out: Record<string, SweepValue> = {
    'model': e.model.name,
    'model.steps': e.model.steps,
    'model.encoder': e.model.encoder.kind,
    'model.decoder': e.model.decoder.kind,
    'data': e.data.kind,
    'target': e.target,
    'loss': e.loss,
    'optimizer': e.optimizer.kind,
    'optimizer.lr': e.optimizer.lr,
    'schedule': e.schedule.kind,
    'batch': e.batch,
    'epochs': e.epochs,
    'seed': e.seed,
  };
  for (const [k, v] of Object.entries(e.model.params)) out[`model.${k}`] = v;
  return out;
}

/**
 * The columns that tell the runs apart: the sweep axes when the runs carry sweep points,
 * else every descriptive field whose value differs between runs. First-seen order.
 */
export function sweptFields(runs: readonly RunData[]): string[] {
  const fromPoints: string[] = [];
  for (const r of runs) {
    for (const k of Object.keys(r.record?.point?.values ?? {})) if (!fromPoints.includes(k)) fromPoints.push(k);
  }
  if (fromPoints.length > 0) return fromPoints;
  const described = runs.map((r) => (r.experiment ? describeExperiment(r.experiment) : undefined)).filter((d) => d !== undefined);
  if (described.length < 2) return [];
  const keys: string[] = [];
  for (const d of described) for (const k of Object.keys(d)) if (!keys.includes(k)) keys.push(k);
  return keys.filter((k) => new Set(described.map((d) => String(d[k]))).size > 1);
}

/** A run's value of one column: the sweep point's value, else the experiment's. */
export function valueOf(run: RunData, field: string): SweepValue | undefined {
  const pv = run.record?.point?.values[field];
  if (pv !== undefined) return pv;
  return run.experiment ? describeExperiment(run.experiment)[field] : undefined;
}

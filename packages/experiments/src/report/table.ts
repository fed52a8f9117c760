import type { SweepValue } from '@snnc/ir';
import type { EpochRow, RunData } from '../types.js';
import { sweptFields, valueOf } from './values.js';

export type RunStatus = 'ok' | 'failed' | 'incomplete';

/** One line of the comparison table. Accuracies are fractions in [0, 1]. */
export interface ReportRow {
  label: string;
  dir: string;
  values: Record<string, SweepValue | null>;
  status: RunStatus;
  /** Epochs with metrics. */
  epochs: number;
  trainAcc: number | null;
  testAcc: number | null;
  bestTestAcc: number | null;
  trainLoss: number | null;
  testLoss: number | null;
  /** Mean wall-clock seconds per training epoch. */
  secondsPerEpoch: number | null;
  /** Training throughput, images per second. */
  imagesPerSecond: number | null;
  backend: string | null;
  seed: number | null;
  specHash: string | null;
  error: string | null;
  /** Estimated energy per test sample, joules (summary.json `activity.total.energy_j`); null for runs without activity. */
  energyJ: number | null;
  /** Synaptic operations per test sample. */
  synops: number | null;
}

export interface Report {
  /** The swept fields, in column order. */
  fields: string[];
  rows: ReportRow[];
  /** The sweep the runs came from, when they all came from one. */
  sweep: string | null;
}

/**
 * Names `runExperiment` and older runs use for the same quantity; the first finite number
 * wins. Keeping the aliases in one place lets the report read run directories written by
 * different snnc versions.
 */
const EPOCH_SECONDS = ['total_time', 'epoch_seconds', 'epoch_time', 'seconds'];
const EPOCH_IMAGES_PER_S = ['images_per_s', 'images_per_second', 'train_images_per_s'];
const SUMMARY_SECONDS_PER_EPOCH = ['seconds_per_epoch', 'secondsPerEpoch', 'epochSeconds'];
const SUMMARY_IMAGES_PER_S = ['images_per_s', 'images_per_second', 'imagesPerSecond'];
const SUMMARY_TOTAL_SECONDS = ['train_seconds', 'trainSeconds', 'totalSeconds'];
const SUMMARY_TRAIN_IMAGES = ['trainSamples', 'train_images', 'trainImages'];
const SUMMARY_BEST = ['best.test_acc', 'max_test_acc', 'best_test_acc', 'bestTestAcc'];
const SUMMARY_BACKEND = ['backend'];
const ENERGY = ['activity.total.energy_j'];
const SYNOPS = ['activity.total.synops'];

/** `a.b` reads obj.a.b. */
function at(obj: Record<string, unknown>, name: string): unknown {
  let v: unknown = obj;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export function pickNumber(obj: Record<string, unknown> | undefined, names: readonly string[]): number | null {
  if (!obj) return null;
  for (const n of names) {
    const v = at(obj, n);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function pickString(obj: Record<string, unknown> | undefined, names: readonly string[]): string | null {
  if (!obj) return null;
  for (const n of names) {
    const v = at(obj, n);
    if (typeof v === 'string' && v !== '') return v;
    // `backend: { name: 'wasm', ... }` as well as `backend: 'wasm'`
    if (v !== null && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string') return (v as { name: string }).name;
  }
  return null;
}

function lastNumber(rows: readonly EpochRow[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i]![key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** The last epoch row's value at a dotted path (`activity.total.energy_j`). */
function lastPicked(rows: readonly EpochRow[], names: readonly string[]): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = pickNumber(rows[i]!, names);
    if (v !== null) return v;
  }
  return null;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function reportRow(run: RunData, fields: readonly string[]): ReportRow {
  const m = run.metrics;
  const s = run.summary;
  const testAccs = m.map((r) => r.test_acc).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const bestFromMetrics = testAccs.length > 0 ? Math.max(...testAccs) : null;
  const epochSeconds = m.map((r) => pickNumber(r, EPOCH_SECONDS)).filter((v): v is number => v !== null);
  const epochs = m.length;
  let secondsPerEpoch = mean(epochSeconds) ?? pickNumber(s, SUMMARY_SECONDS_PER_EPOCH);
  const total = pickNumber(s, SUMMARY_TOTAL_SECONDS);
  if (secondsPerEpoch === null && total !== null && epochs > 0) secondsPerEpoch = total / epochs;
  let imagesPerSecond = mean(m.map((r) => pickNumber(r, EPOCH_IMAGES_PER_S)).filter((v): v is number => v !== null)) ?? pickNumber(s, SUMMARY_IMAGES_PER_S);
  const trainImages = pickNumber(s, SUMMARY_TRAIN_IMAGES);
  if (imagesPerSecond === null && trainImages !== null && secondsPerEpoch !== null && secondsPerEpoch > 0) {
    imagesPerSecond = trainImages / secondsPerEpoch;
  }
  const summaryStatus = s?.['status'];
  const status: RunStatus =
    run.record?.status === 'failed' || summaryStatus === 'failed'
      ? 'failed'
      : s !== undefined && (summaryStatus === undefined || summaryStatus === 'completed') && (run.record === undefined || run.record.status === 'ok')
        ? 'ok'
        : 'incomplete';
  const values: Record<string, SweepValue | null> = {};
  for (const f of fields) values[f] = valueOf(run, f) ?? null;
  return {
    label: run.label,
    dir: run.dir,
    values,
    status,
    epochs,
    trainAcc: lastNumber(m, 'train_acc'),
    testAcc: lastNumber(m, 'test_acc'),
    bestTestAcc: pickNumber(s, SUMMARY_BEST) ?? bestFromMetrics,
    trainLoss: lastNumber(m, 'train_loss'),
    testLoss: lastNumber(m, 'test_loss'),
    secondsPerEpoch,
    imagesPerSecond,
    backend: run.record?.backend.name ?? pickString(s, SUMMARY_BACKEND) ?? run.record?.backend.requested ?? null,
    seed: run.record?.seed ?? run.experiment?.seed ?? null,
    specHash: run.record?.specHash ?? null,
    error: run.record?.error?.message ?? pickString(s, ['error.message']) ?? null,
    energyJ: pickNumber(s, ENERGY) ?? lastPicked(m, ENERGY),
    synops: pickNumber(s, SYNOPS) ?? lastPicked(m, SYNOPS),
  };
}

/**
 * The comparison over a set of runs. Rows follow the sweep's point order when the runs
 * come from one sweep (the order they were given in otherwise).
 */
export function buildReport(runs: readonly RunData[]): Report {
  const fields = sweptFields(runs);
  const sweeps = new Set(runs.map((r) => r.record?.point?.sweep ?? null));
  const sweep = sweeps.size === 1 ? [...sweeps][0]! : null;
  return { fields, rows: runs.map((r) => reportRow(r, fields)), sweep };
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { SnncError, type Experiment } from '@snnc/ir';
import { machineInfo, readRegularFile } from '@snnc/ir/node';
import { definedOverrides } from '../overrides.js';
import { BACKEND_REQUESTS, type BackendRequest, type EpochRow, type QuickOverrides, type RunRecord } from '../types.js';
import { readJsonObject } from './files.js';
import { specHash } from './hash.js';
import { limitsOf } from './plan.js';
import { runPoint } from './point-process.js';
import { readMetrics, readRecord, RUN_FILES } from './run-dir.js';
import { defaultTrainerModule } from './trainer.js';

export interface ReplayOptions {
  /** Where the replay's run goes (default: `<runDir>-replay`, `-replay-2`, ... beside it). */
  outDir?: string;
  /** Backend to use; default: the one the original run actually used. */
  backend?: BackendRequest;
  snncVersion: string;
  trainerModule?: string;
  signal?: AbortSignal;
}

export interface ReplayResult {
  runDir: string;
  original: RunRecord;
  record: RunRecord;
  /** Per-epoch numbers compared with the original run (timings excluded). */
  comparison: MetricsComparison;
}

export interface MetricsComparison {
  equal: boolean;
  /** `epoch 0 test_acc: 0.9712 vs 0.9714`, at most 20. */
  differences: string[];
}

/** Wall-clock fields differ between any two runs; everything else must agree on a replay. */
const TIMING_FIELDS = new Set(['total_time', 'train_time', 'test_time', 'images_per_s', 'epoch_seconds', 'seconds', 'time']);

/** Compares two runs' metrics.jsonl epoch by epoch, ignoring timings. */
export function compareMetrics(a: readonly EpochRow[], b: readonly EpochRow[]): MetricsComparison {
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`${a.length} epoch(s) vs ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const keys = new Set([...Object.keys(a[i]!), ...Object.keys(b[i]!)]);
    for (const k of [...keys].sort()) {
      if (TIMING_FIELDS.has(k)) continue;
      const x = a[i]![k];
      const y = b[i]![k];
      if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`epoch ${a[i]!.epoch} ${k}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  }
  return { equal: differences.length === 0, differences: differences.slice(0, 20) };
}

/**
 * A record rebuilt from what `runExperiment` itself writes (`snnc run` directories have no
 * record.json): experiment.json, run.json (overrides, backend asked for, spec file),
 * summary.json (backend used) and spec.snn.
 */
function recordFromRuntimeFiles(dir: string, shown: string): RunRecord {
  if (!existsSync(dir)) throw new SnncError('SNN7012', { path: shown, reason: 'no such directory' });
  const exp = readJsonObject(path.join(dir, RUN_FILES.experiment));
  const run = readJsonObject(path.join(dir, RUN_FILES.run));
  const experiment = (exp?.['experiment'] ?? undefined) as Experiment | undefined;
  if (experiment === undefined || run === undefined) {
    throw new SnncError('SNN7012', { path: shown, reason: `it has neither ${RUN_FILES.record} nor experiment.json and run.json` });
  }
  const summary = readJsonObject(path.join(dir, RUN_FILES.summary));
  const o = (run['overrides'] ?? {}) as QuickOverrides;
  const limits = limitsOf(o);
  const specFile = typeof run['specFile'] === 'string' ? path.resolve(run['specFile']) : path.join(dir, RUN_FILES.spec);
  const requested = (BACKEND_REQUESTS as readonly string[]).includes(String(run['backendRequest'])) ? (run['backendRequest'] as BackendRequest) : 'auto';
  const used = (summary?.['backend'] as { name?: string; detail?: string } | undefined) ?? {};
  // a run without its spec text still replays from experiment.json
  const spec = readRegularFile(path.join(dir, RUN_FILES.spec), 'source');
  const source = spec.ok ? spec.bytes.toString('utf8') : '';
  return {
    recordVersion: 1,
    snncVersion: typeof summary?.['snncVersion'] === 'string' ? summary['snncVersion'] : 'unknown',
    experiment,
    specHash: specHash(experiment, limits),
    seed: experiment.seed,
    limits,
    overrides: definedOverrides(o),
    backend: { requested, ...(used.name !== undefined ? { name: used.name } : {}), ...(used.detail !== undefined ? { detail: used.detail } : {}) },
    // `snnc run` caps no thread pool; on wasm it trains on the data-parallel workers its
    // backend line names. The replay must do the same, or sums are taken in another order.
    threads: recordedWorkers(used.detail),
    baseDir: path.dirname(specFile),
    spec: { file: specFile, source },
    machine: machineInfo(),
    startedAt: typeof summary?.['startedAt'] === 'string' ? summary['startedAt'] : new Date(0).toISOString(),
    status: summary?.['status'] === 'completed' ? 'ok' : 'failed',
  };
}

/** The data-parallel worker count a backend line records (`..., 4 data-parallel workers`), else 0 (defaults). */
export function recordedWorkers(detail: string | undefined): number {
  const m = /(\d+) data-parallel workers/.exec(detail ?? '');
  return m ? Number(m[1]) : 0;
}

function nextReplayDir(runDir: string): string {
  const base = `${runDir.replace(/[/\\]+$/, '')}-replay`;
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Re-runs a run from its record.json: the same resolved experiment, seed, data limits,
 * threads and (by default) the backend it actually ran on, into a new run directory; then
 * compares the numbers. A `snnc run` directory (no record.json) replays from the files
 * runExperiment wrote. Throws SnncError SNN7012 when `runDir` is neither.
 */
export async function replayRun(runDir: string, opts: ReplayOptions): Promise<ReplayResult> {
  const dir = path.resolve(runDir);
  const original = readRecord(dir) ?? recordFromRuntimeFiles(dir, runDir);
  const used = original.backend.name;
  const backend = opts.backend ?? (used !== undefined && (BACKEND_REQUESTS as readonly string[]).includes(used) ? (used as BackendRequest) : original.backend.requested);
  const out = path.resolve(opts.outDir ?? nextReplayDir(dir));
  const record = await runPoint(
    {
      experiment: original.experiment,
      limits: original.limits,
      overrides: original.overrides,
      backend,
      threads: original.threads,
      baseDir: original.baseDir,
      snncVersion: opts.snncVersion,
      ...(original.point !== undefined ? { point: original.point } : {}),
      ...(original.spec !== undefined ? { spec: original.spec } : {}),
      runDir: out,
      trainerModule: opts.trainerModule ?? defaultTrainerModule(),
    },
    {},
    opts.signal,
  );
  const comparison = compareMetrics(readMetrics(dir), readMetrics(out));
  const spec = compareSpecs(dir, out);
  if (spec !== undefined) comparison.differences.unshift(spec);
  comparison.equal = comparison.differences.length === 0;
  return { runDir: out, original, record, comparison };
}

/** The spec.snn both runs keep must be the same text (undefined when it is, or when neither has one). */
function compareSpecs(original: string, replay: string): string | undefined {
  const a = readRegularFile(path.join(original, RUN_FILES.spec), 'source');
  const b = readRegularFile(path.join(replay, RUN_FILES.spec), 'source');
  if (!a.ok && !b.ok) return undefined;
  if (a.ok && b.ok && a.bytes.equals(b.bytes)) return undefined;
  return a.ok && b.ok ? `${RUN_FILES.spec} differs from the recorded one` : `${RUN_FILES.spec}: ${a.ok ? 'the replay has none' : 'the original has none'}`;
}

import path from 'node:path';
import type { Sweep } from '@snnc/ir';
import type { PointStatus } from '../status.js';
import type { BackendRequest, QuickOverrides, RunRecord, SpecSource } from '../types.js';
import { defaultParallelism, planSweep, type PlannedPoint, type SweepPlan } from './plan.js';
import { runPoint } from './point-process.js';
import { isResumable, readMetrics, readRecord } from './run-dir.js';
import { FinishedRuns, reuseRun } from './reuse.js';
import { defaultTrainerModule } from './trainer.js';

export interface LocalSweepOptions {
  sweep: Sweep;
  /** Runs root; the sweep writes `<runsDir>/<sweep>/<point-id>/`. */
  runsDir: string;
  overrides?: QuickOverrides;
  backend?: BackendRequest;
  /** Points trained at once, each in its own process (default: one per core). */
  parallel?: number;
  /** Threads per point process (default: the cores divided among the parallel points). */
  threads?: number;
  /** Directory relative data paths resolve against (the `.snn` file's). */
  baseDir: string;
  /** The `.snn` file and its text, recorded with every point. */
  spec?: SpecSource;
  snncVersion: string;
  /** Module exporting `train` (default: the @snnc/runtime trainer). */
  trainerModule?: string;
  /** Called on every change of a point's state, with all points. */
  onUpdate?: (points: readonly PointStatus[], changed: PointStatus) => void;
  /** Aborting kills the running point processes; pending points stay pending. */
  signal?: AbortSignal;
  /**
   * Copy a point from a finished run of the same spec and backend request elsewhere under
   * `runsDir` instead of training it again (default true).
   */
  reuse?: boolean;
}

export interface LocalSweepResult {
  plan: SweepPlan;
  points: PointStatus[];
  records: Map<string, RunRecord>;
  failed: number;
}

function initialStatus(p: PlannedPoint): PointStatus {
  const s: PointStatus = {
    id: p.id,
    values: p.values,
    phase: p.finished ? 'skipped' : 'pending',
    epoch: p.finished ? p.experiment.epochs : 0,
    epochs: p.experiment.epochs,
    testAcc: null,
    seconds: null,
    where: null,
    error: null,
  };
  if (p.finished) showFinished(s, p.runDir);
  return s;
}

/** A skipped point shows the numbers it finished with. */
function showFinished(s: PointStatus, runDir: string): void {
  const acc = readMetrics(runDir).at(-1)?.test_acc;
  s.testAcc = typeof acc === 'number' ? acc : null;
  s.seconds = readRecord(runDir)?.wallSeconds ?? null;
}

/**
 * Runs a sweep on this machine: every point not already finished trains in its own process,
 * `parallel` at a time. A failed point is recorded and the others go on.
 */
export async function runSweepLocal(opts: LocalSweepOptions): Promise<LocalSweepResult> {
  const overrides = opts.overrides ?? {};
  const plan = planSweep(opts.sweep, overrides, opts.runsDir);
  const { parallel, threads: defaultThreads } = defaultParallelism(opts.parallel);
  const threads = opts.threads ?? defaultThreads;
  const trainerModule = opts.trainerModule ?? defaultTrainerModule();
  const statuses = plan.points.map(initialStatus);
  const records = new Map<string, RunRecord>();
  const emit = (s: PointStatus) => opts.onUpdate?.(statuses, s);
  for (const s of statuses) emit(s);

  const backend = opts.backend ?? 'auto';
  const pointRef = (p: PlannedPoint) => ({ sweep: plan.sweep, sweepHash: plan.hash, pointId: p.id, index: p.index, values: p.values });
  let queue = plan.points.filter((p) => !p.finished);
  if (opts.reuse ?? true) {
    const finished = new FinishedRuns(path.resolve(opts.runsDir));
    queue = queue.filter((p) => {
      const from = finished.find(p.specHash, backend, p.runDir);
      if (from === undefined) return true;
      const s = statuses[p.index]!;
      const record = reuseRun(from, p.runDir, pointRef(p));
      records.set(p.id, record);
      s.phase = 'skipped';
      s.epoch = p.experiment.epochs;
      showFinished(s, p.runDir);
      s.where = `same spec as ${path.relative(path.resolve(opts.runsDir), from)}`;
      emit(s);
      return false;
    });
  }
  const runOne = async (p: PlannedPoint): Promise<void> => {
    const s = statuses[p.index]!;
    const t0 = Date.now();
    const resume = isResumable(p.runDir, p.specHash);
    s.phase = 'running';
    s.seconds = 0;
    s.where = resume ? 'resuming' : null;
    emit(s);
    const record = await runPoint(
      {
        experiment: p.experiment,
        limits: p.limits,
        overrides: plan.overrides,
        backend,
        threads,
        baseDir: opts.baseDir,
        snncVersion: opts.snncVersion,
        ...(opts.spec !== undefined ? { spec: opts.spec } : {}),
        point: pointRef(p),
        runDir: p.runDir,
        trainerModule,
        resume,
      },
      {
        onStarted: (pid) => {
          s.where = `pid ${pid}${resume ? ', resumed' : ''}`;
          emit(s);
        },
        onProgress: (epoch, acc) => {
          s.epoch = epoch;
          s.testAcc = acc;
          s.seconds = (Date.now() - t0) / 1000;
          emit(s);
        },
      },
      opts.signal,
    );
    records.set(p.id, record);
    s.seconds = record.wallSeconds ?? (Date.now() - t0) / 1000;
    s.phase = record.status === 'ok' ? 'done' : 'failed';
    s.error = record.error?.message ?? null;
    emit(s);
  };

  const workers = Array.from({ length: Math.min(parallel, queue.length) }, async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      if (opts.signal?.aborted) return;
      await runOne(p);
    }
  });
  await Promise.all(workers);
  return { plan, points: statuses, records, failed: statuses.filter((s) => s.phase === 'failed').length };
}

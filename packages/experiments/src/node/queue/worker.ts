import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job, type JobJson } from 'bullmq';
import { pointDirName } from '../plan.js';
import { runPoint } from '../point-process.js';
import { readMetrics, RUN_FILES } from '../run-dir.js';
import { defaultTrainerModule } from '../trainer.js';
import { connectRedis, connectionOptions, parseRedisUrl } from './connection.js';
import { failuresKey, KEY_PREFIX, QUEUE_NAME, rejectedKey, resultsKey, sweepKey, type JobProgress, type QueueResult, type RejectedJob } from './keys.js';
import type { QueueJobData } from './submit.js';
import { checkJobAgainstSweep, checkJobData, checkSweepMeta, pathInside } from './validate-job.js';

export type WorkerEvent =
  | { kind: 'ready'; worker: string }
  /** `pid`: the point's own process, which exits when this worker dies. */
  | { kind: 'started'; pointId: string; sweep: string; runDir: string; pid: number }
  | { kind: 'finished'; pointId: string; sweep: string; status: 'ok' | 'failed'; seconds: number; error?: string }
  | { kind: 'skipped'; pointId: string; sweep: string }
  /** A malformed job, failed without running (and without retries). */
  | { kind: 'rejected'; jobId: string; reason: string }
  /** BullMQ could not read or move a job (a record damaged below what snnc checks), or lost Redis for a moment. */
  | { kind: 'queue-error'; message: string };

export interface QueueWorkerOptions {
  url: string;
  /** Where points train when there is no shared directory (`<workDir>/<sweep hash>/<point>`). */
  workDir: string;
  /**
   * A directory every machine sees (NFS, a mounted bucket): runs train into
   * `<shared>/<sweep>/<point>` and only their small files go to Redis. Without it, the whole
   * run directory, checkpoints included, is stored in Redis.
   */
  shared?: string;
  /** Points trained at once by this worker, each in its own process. */
  concurrency?: number;
  threads?: number;
  /**
   * A job's lock lives this long without renewal (ms); a killed worker's point is retried
   * after about lockDuration + stalledInterval. The worker renews at half this period.
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs, ms. */
  stalledIntervalMs?: number;
  /** Stalls a point may survive before it is failed. */
  maxStalledCount?: number;
  trainerModule?: string;
  onEvent?: (e: WorkerEvent) => void;
  /** Aborting stops taking points and resolves once running points finish. */
  signal?: AbortSignal;
}

/** Files above this are left out of the Redis result (use --shared for big checkpoints), bytes. */
const MAX_RESULT_BYTES = 256 * 2 ** 20;
/** Run files small enough to always send, even with a shared directory. */
const SMALL_FILES = new Set<string>([RUN_FILES.summary, RUN_FILES.metrics, RUN_FILES.record, RUN_FILES.experiment, RUN_FILES.log, 'ir.json', 'curves.svg']);

function lastTestAcc(runDir: string): number | null {
  const acc = readMetrics(runDir).at(-1)?.test_acc;
  return typeof acc === 'number' ? acc : null;
}

function collectFiles(dir: string, all: boolean): Record<string, string> {
  const files: Record<string, string> = {};
  let total = 0;
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = statSync(abs);
      if (st.isDirectory()) {
        if (all) walk(abs, r);
      } else if (st.isFile() && !name.includes('.tmp-') && (all || SMALL_FILES.has(r)) && total + st.size <= MAX_RESULT_BYTES) {
        total += st.size;
        files[r] = readFileSync(abs).toString('base64');
      }
    }
  };
  walk(dir, '');
  return files;
}

/** Marks job data that is not JSON, so the processor can refuse it (BullMQ would throw while parsing). */
const UNPARSABLE = '__snncUnparsableJobData';

/**
 * BullMQ parses a job's data before the processor sees it; data that is not JSON makes it
 * throw there, leaving the job active with no processor to fail it. This worker hands such
 * data to the processor as a marker instead, and the processor fails the job with a reason.
 */
class CheckedWorker extends Worker<unknown> {
  protected override createJob(data: JobJson, jobId: string): Job<unknown> {
    try {
      JSON.parse(data.data || '{}');
      return super.createJob(data, jobId);
    } catch {
      return super.createJob({ ...data, data: JSON.stringify({ [UNPARSABLE]: true }) }, jobId);
    }
  }
}

/** The sweep and point a raw job claims, for the rejection record (only when they are strings). */
function claimed(raw: unknown, key: 'sweep' | 'pointId'): string | null {
  const v = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v.length <= 1000 ? v : null;
}

/**
 * Takes sweep points from the BullMQ queue and trains them, each in its own process, until
 * `signal` aborts. Results are stored once per (sweep hash, point id) with HSETNX: a point
 * that ran twice (a worker presumed dead that was only slow) still appears once.
 */
export async function runQueueWorker(opts: QueueWorkerOptions): Promise<void> {
  const redis = await connectRedis(opts.url);
  const me = `${os.hostname()}:${process.pid}`;
  const trainerModule = opts.trainerModule ?? defaultTrainerModule();
  const threads = opts.threads ?? Math.max(1, Math.floor(os.availableParallelism() / (opts.concurrency ?? 1)));

  /** Records a malformed job and fails it for good: the same data fails the same way again. */
  const reject = async (job: Job<unknown>, reason: string): Promise<never> => {
    const jobId = job.id ?? '?';
    const rec: RejectedJob = { jobId, sweep: claimed(job.data, 'sweep'), pointId: claimed(job.data, 'pointId'), reason, worker: me, at: new Date().toISOString() };
    await redis.hset(rejectedKey(), jobId, JSON.stringify(rec));
    opts.onEvent?.({ kind: 'rejected', jobId, reason });
    throw new UnrecoverableError(`malformed job: ${reason}`);
  };

  /** The job's data, checked field by field and against the sweep submitted under its name. */
  const checkedJob = async (job: Job<unknown>): Promise<QueueJobData> => {
    const raw = job.data;
    if (raw !== null && typeof raw === 'object' && UNPARSABLE in raw) return reject(job, 'the job data is not JSON');
    const checked = checkJobData(raw);
    if (!checked.ok) return reject(job, checked.reason);
    const metaText = await redis.get(sweepKey(checked.value.sweep));
    const meta = metaText === null ? undefined : checkSweepMeta(metaText);
    if (meta !== undefined && !meta.ok) return reject(job, meta.reason);
    const mismatch = checkJobAgainstSweep(checked.value, meta?.value);
    if (mismatch !== undefined) return reject(job, mismatch);
    return checked.value;
  };

  const processor = async (job: Job<unknown>) => {
    const d = await checkedJob(job);
    try {
      return await trainPoint(job, d);
    } catch (e) {
      if (e instanceof UnrecoverableError) throw e;
      // The run directory could not be made or read (permissions, a full disk): say so, do not retry.
      const message = e instanceof Error ? e.message : String(e);
      opts.onEvent?.({ kind: 'finished', pointId: d.pointId, sweep: d.sweep, status: 'failed', seconds: 0, error: message });
      throw new UnrecoverableError(message);
    }
  };

  const trainPoint = async (job: Job<unknown>, d: QueueJobData) => {
    if ((await redis.hexists(resultsKey(d.sweepHash), d.pointId)) === 1) {
      opts.onEvent?.({ kind: 'skipped', pointId: d.pointId, sweep: d.sweep });
      return { pointId: d.pointId, stored: false };
    }
    // Built only from checked parts, and checked again to stay inside the worker's directory.
    const runDir = opts.shared
      ? pathInside(opts.shared, pointDirName(d.sweep), pointDirName(d.pointId))
      : pathInside(opts.workDir, d.sweepHash, pointDirName(d.pointId));
    if (runDir === undefined) return reject(job, `point \`${d.pointId}\` would train outside ${opts.shared ?? opts.workDir}`);
    const t0 = Date.now();
    const progress = (p: JobProgress) => void job.updateProgress(p as unknown as object).catch(() => undefined);
    progress({ worker: me, epoch: 0, testAcc: null });
    const record = await runPoint(
      {
        experiment: d.experiment,
        limits: d.limits,
        overrides: d.overrides,
        backend: d.backend,
        threads,
        baseDir: d.baseDir,
        snncVersion: d.snncVersion,
        ...(d.spec !== undefined ? { spec: d.spec } : {}),
        point: { sweep: d.sweep, sweepHash: d.sweepHash, pointId: d.pointId, index: d.index, values: d.values },
        runDir,
        trainerModule,
      },
      {
        onStarted: (pid) => opts.onEvent?.({ kind: 'started', pointId: d.pointId, sweep: d.sweep, runDir, pid }),
        onProgress: (epoch, testAcc) => progress({ worker: me, epoch, testAcc }),
      },
    );
    const seconds = (Date.now() - t0) / 1000;
    if (record.status !== 'ok') {
      await redis.hset(failuresKey(d.sweepHash), d.pointId, JSON.stringify(record));
      opts.onEvent?.({ kind: 'finished', pointId: d.pointId, sweep: d.sweep, status: 'failed', seconds, error: record.error?.message ?? 'unknown error' });
      // A failed run fails the same way again: do not retry it.
      throw new UnrecoverableError(record.error?.message ?? 'the point failed');
    }
    const result: QueueResult = {
      pointId: d.pointId,
      index: d.index,
      worker: me,
      sharedDir: opts.shared ? runDir : null,
      files: collectFiles(runDir, !opts.shared),
      finishedAt: new Date().toISOString(),
      wallSeconds: record.wallSeconds ?? seconds,
      testAcc: lastTestAcc(runDir),
    };
    const stored = (await redis.hsetnx(resultsKey(d.sweepHash), d.pointId, JSON.stringify(result))) === 1;
    opts.onEvent?.({ kind: 'finished', pointId: d.pointId, sweep: d.sweep, status: 'ok', seconds });
    return { pointId: d.pointId, stored };
  };

  const worker = new CheckedWorker(QUEUE_NAME, processor, {
    connection: connectionOptions(parseRedisUrl(opts.url)),
    prefix: KEY_PREFIX,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 3,
    autorun: false,
  });
  worker.on('error', (e: Error) => {
    // Connection drops are retried by ioredis; BullMQ re-emits them here and would crash
    // without a listener. Said, not swallowed: a job BullMQ itself cannot read ends up here.
    opts.onEvent?.({ kind: 'queue-error', message: e.message });
  });
  try {
    await worker.waitUntilReady();
    opts.onEvent?.({ kind: 'ready', worker: me });
    const stopped = new Promise<void>((resolve) => {
      if (opts.signal?.aborted) resolve();
      opts.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    const running = worker.run();
    await stopped;
    await worker.close();
    await running;
  } finally {
    redis.disconnect();
  }
}

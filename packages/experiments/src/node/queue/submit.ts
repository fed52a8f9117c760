import { Queue } from 'bullmq';
import type { Sweep, SweepValue, Experiment } from '@snnc/ir';
import type { BackendRequest, QuickOverrides, SpecSource } from '../../types.js';
import { planSweep } from '../plan.js';
import { connectRedis, connectionOptions, parseRedisUrl } from './connection.js';
import { failuresKey, jobId, KEY_PREFIX, QUEUE_NAME, resultsKey, sweepKey, type SweepMeta } from './keys.js';

/** A point as it travels on the queue: everything a worker on another machine needs. */
export interface QueueJobData {
  sweep: string;
  sweepHash: string;
  pointId: string;
  index: number;
  values: Record<string, SweepValue>;
  experiment: Experiment;
  limits: { trainLimit?: number; testLimit?: number };
  overrides: QuickOverrides;
  backend: BackendRequest;
  baseDir: string;
  snncVersion: string;
  spec?: SpecSource;
}

export interface SubmitOptions {
  url: string;
  sweep: Sweep;
  overrides?: QuickOverrides;
  backend?: BackendRequest;
  baseDir: string;
  snncVersion: string;
  spec?: SpecSource;
}

export interface SubmitResult {
  hash: string;
  /** Points put on the queue now (or already waiting there). */
  queued: string[];
  /** Points with a stored result: not queued again. */
  done: string[];
}

/**
 * Puts a sweep's points on the BullMQ queue. Points with a stored result are skipped; a
 * point that failed before is queued again. Job ids are `<sweep hash>-<index>`, so
 * submitting twice never queues a point twice.
 */
export async function submitSweep(opts: SubmitOptions): Promise<SubmitResult> {
  const redis = await connectRedis(opts.url);
  const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(parseRedisUrl(opts.url)), prefix: KEY_PREFIX });
  try {
    const plan = planSweep(opts.sweep, opts.overrides ?? {}, '.');
    const meta: SweepMeta = {
      name: plan.sweep,
      hash: plan.hash,
      points: plan.points.map((p) => ({ id: p.id, index: p.index, values: p.values })),
      submittedAt: new Date().toISOString(),
    };
    await redis.set(sweepKey(plan.sweep), JSON.stringify(meta));
    const doneIds = new Set(await redis.hkeys(resultsKey(plan.hash)));
    const failedIds = new Set(await redis.hkeys(failuresKey(plan.hash)));
    const queued: string[] = [];
    const done: string[] = [];
    const jobs = [];
    for (const p of plan.points) {
      if (doneIds.has(p.id)) {
        done.push(p.id);
        continue;
      }
      const id = jobId(plan.hash, p.index);
      if (failedIds.has(p.id)) {
        await queue.remove(id);
        await redis.hdel(failuresKey(plan.hash), p.id);
      }
      const data: QueueJobData = {
        sweep: plan.sweep,
        sweepHash: plan.hash,
        pointId: p.id,
        index: p.index,
        values: p.values,
        experiment: p.experiment,
        limits: p.limits,
        overrides: plan.overrides,
        backend: opts.backend ?? 'auto',
        baseDir: opts.baseDir,
        snncVersion: opts.snncVersion,
        ...(opts.spec !== undefined ? { spec: opts.spec } : {}),
      };
      // Failures are deterministic (a bad spec, a missing file): no retries. Stalls (a dead
      // worker) are retried by BullMQ's stalled-job check regardless of `attempts`.
      jobs.push({ name: p.id, data, opts: { jobId: id, attempts: 1, removeOnComplete: true, removeOnFail: true } });
      queued.push(p.id);
    }
    if (jobs.length > 0) await queue.addBulk(jobs);
    return { hash: plan.hash, queued, done };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

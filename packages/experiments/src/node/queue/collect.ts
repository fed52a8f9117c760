import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { SnncError } from '@snnc/ir';
import type { PointStatus } from '../../status.js';
import type { RunRecord } from '../../types.js';
import { writeFileAtomic } from '../files.js';
import { pointDirName } from '../plan.js';
import { RUN_FILES } from '../run-dir.js';
import { connectRedis, connectionOptions, parseRedisUrl } from './connection.js';
import { failuresKey, jobId, KEY_PREFIX, QUEUE_NAME, resultsKey, sweepKey, type JobProgress, type QueueResult, type SweepMeta } from './keys.js';

export interface CollectResult {
  meta: SweepMeta;
  /** Run directories written, in sweep order (finished and failed points). */
  runDirs: string[];
  done: string[];
  failed: string[];
  /** Points with neither a result nor a failure yet (queued or running). */
  missing: string[];
}

async function readMeta(redis: Awaited<ReturnType<typeof connectRedis>>, url: string, sweep: string): Promise<SweepMeta> {
  const raw = await redis.get(sweepKey(sweep));
  if (raw === null) throw new SnncError('SNN9002', { message: `no sweep \`${sweep}\` was submitted to ${url}` }, { hint: 'submit it with `snnc sweep FILE --queue URL`' });
  return JSON.parse(raw) as SweepMeta;
}

/**
 * Fetches a submitted sweep's results from Redis into `<outDir>/<sweep>/<point>/` (each
 * point's directory replaced), failed points as a directory with their record, so that
 * `snnc report` reads them like local runs.
 */
export async function collectSweep(opts: { url: string; sweep: string; outDir: string }): Promise<CollectResult> {
  const redis = await connectRedis(opts.url);
  try {
    const meta = await readMeta(redis, opts.url, opts.sweep);
    const results = await redis.hgetall(resultsKey(meta.hash));
    const failures = await redis.hgetall(failuresKey(meta.hash));
    const out: CollectResult = { meta, runDirs: [], done: [], failed: [], missing: [] };
    for (const p of meta.points) {
      const dir = path.resolve(opts.outDir, pointDirName(meta.name), pointDirName(p.id));
      const res = results[p.id];
      const fail = failures[p.id];
      if (res !== undefined) {
        const r = JSON.parse(res) as QueueResult;
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const [rel, b64] of Object.entries(r.files)) {
          const target = path.resolve(dir, rel);
          if (!target.startsWith(dir + path.sep)) throw new Error(`collectSweep: result file ${rel} of ${p.id} escapes the run directory`);
          writeFileAtomic(target, Buffer.from(b64, 'base64'));
        }
        out.runDirs.push(dir);
        out.done.push(p.id);
      } else if (fail !== undefined) {
        rmSync(dir, { recursive: true, force: true });
        writeFileAtomic(path.join(dir, RUN_FILES.record), `${JSON.stringify(JSON.parse(fail) as RunRecord, null, 2)}\n`);
        out.runDirs.push(dir);
        out.failed.push(p.id);
      } else {
        out.missing.push(p.id);
      }
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

/** Every point's state on the queue, for `snnc sweep --queue --wait`'s live table. */
export async function queueSweepStatus(opts: { url: string; sweep: string; epochs: (pointId: string) => number }): Promise<PointStatus[]> {
  const redis = await connectRedis(opts.url);
  const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(parseRedisUrl(opts.url)), prefix: KEY_PREFIX });
  try {
    const meta = await readMeta(redis, opts.url, opts.sweep);
    // Jobs first, results after: a job that completes in between (and is removed) has its
    // result stored by then, so no point is ever seen as neither running nor done.
    const jobs = await Promise.all(meta.points.map(async (p) => {
      const job = await queue.getJob(jobId(meta.hash, p.index));
      return job !== undefined && (await job.isActive()) ? job : undefined;
    }));
    const results = await redis.hgetall(resultsKey(meta.hash));
    const failures = await redis.hgetall(failuresKey(meta.hash));
    const statuses: PointStatus[] = [];
    for (const p of meta.points) {
      const s: PointStatus = { id: p.id, values: p.values, phase: 'pending', epoch: 0, epochs: opts.epochs(p.id), testAcc: null, seconds: null, where: null, error: null };
      const res = results[p.id];
      const fail = failures[p.id];
      if (res !== undefined) {
        const r = JSON.parse(res) as QueueResult;
        s.phase = 'done';
        s.epoch = s.epochs;
        s.where = r.worker;
        s.seconds = r.wallSeconds;
        s.testAcc = r.testAcc;
      } else if (fail !== undefined) {
        const r = JSON.parse(fail) as RunRecord;
        s.phase = 'failed';
        s.error = r.error?.message ?? 'unknown error';
        s.seconds = r.wallSeconds ?? null;
      } else {
        const job = jobs[p.index];
        if (job !== undefined) {
          const prog = job.progress as Partial<JobProgress> | number;
          s.phase = 'running';
          if (typeof prog === 'object' && prog !== null) {
            s.epoch = prog.epoch ?? 0;
            s.testAcc = prog.testAcc ?? null;
            s.where = prog.worker ?? null;
          }
          s.seconds = job.processedOn ? (Date.now() - job.processedOn) / 1000 : null;
        }
      }
      statuses.push(s);
    }
    return statuses;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

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
import { failuresKey, jobId, KEY_PREFIX, QUEUE_NAME, rejectedKey, resultsKey, sweepKey, type JobProgress, type QueueResult, type RejectedJob, type SweepMeta } from './keys.js';
import { checkSweepMeta, pathInside, type Checked } from './validate-job.js';

export interface CollectResult {
  meta: SweepMeta;
  /** Run directories written, in sweep order (finished and failed points). */
  runDirs: string[];
  done: string[];
  failed: string[];
  /** Points with neither a result nor a failure yet (queued or running). */
  missing: string[];
  /** Points whose stored result or failure record is malformed (not written out), with why. */
  corrupt: { pointId: string; reason: string }[];
  /** Jobs naming this sweep that a worker refused as malformed. */
  rejected: RejectedJob[];
}

async function readMeta(redis: Awaited<ReturnType<typeof connectRedis>>, url: string, sweep: string): Promise<SweepMeta> {
  const raw = await redis.get(sweepKey(sweep));
  if (raw === null) throw new SnncError('SNN9002', { message: `no sweep \`${sweep}\` was submitted to ${url}` }, { hint: 'submit it with `snnc sweep FILE --queue URL`' });
  const meta = checkSweepMeta(raw);
  if (!meta.ok) throw new SnncError('SNN7400', { what: `the record of sweep \`${sweep}\``, url, reason: meta.reason }, { hint: 'submit the sweep again with `snnc sweep FILE --queue URL`' });
  return meta.value;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** A stored result, checked: it comes back from Redis, where anyone with access may have written it. */
function checkResult(text: string): Checked<QueueResult> {
  const v = parseObject(text);
  if (v === undefined) return { ok: false, reason: 'the stored result is not a JSON object' };
  const files = v.files;
  if (files === null || typeof files !== 'object' || Array.isArray(files)) return { ok: false, reason: 'the stored result has no `files` object' };
  for (const [rel, b64] of Object.entries(files)) {
    if (typeof b64 !== 'string' || !BASE64_RE.test(b64)) return { ok: false, reason: `result file \`${rel}\` is not base64` };
  }
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    ok: true,
    value: {
      pointId: str(v.pointId),
      index: num(v.index) ?? -1,
      worker: str(v.worker),
      sharedDir: typeof v.sharedDir === 'string' ? v.sharedDir : null,
      files: files as Record<string, string>,
      finishedAt: str(v.finishedAt),
      wallSeconds: num(v.wallSeconds),
      testAcc: num(v.testAcc),
    },
  };
}

/** A stored failure record, checked as far as the report reads it. */
function checkFailure(text: string): Checked<RunRecord> {
  const v = parseObject(text);
  if (v === undefined || v.status !== 'failed') return { ok: false, reason: 'the stored failure is not a failed run record' };
  return { ok: true, value: v as unknown as RunRecord };
}

async function rejectedJobs(redis: Awaited<ReturnType<typeof connectRedis>>, sweep: string): Promise<RejectedJob[]> {
  const out: RejectedJob[] = [];
  for (const text of Object.values(await redis.hgetall(rejectedKey()))) {
    const v = parseObject(text);
    if (v !== undefined && v.sweep === sweep && typeof v.jobId === 'string' && typeof v.reason === 'string') out.push(v as unknown as RejectedJob);
  }
  return out.sort((a, b) => a.jobId.localeCompare(b.jobId));
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
    const out: CollectResult = { meta, runDirs: [], done: [], failed: [], missing: [], corrupt: [], rejected: await rejectedJobs(redis, meta.name) };
    for (const p of meta.points) {
      const dir = pathInside(opts.outDir, pointDirName(meta.name), pointDirName(p.id));
      if (dir === undefined) {
        out.corrupt.push({ pointId: p.id, reason: 'its directory name would leave the runs directory' });
        continue;
      }
      const res = results[p.id];
      const fail = failures[p.id];
      if (res !== undefined) {
        const r = checkResult(res);
        const files = r.ok ? Object.entries(r.value.files).map(([rel, b64]) => ({ rel, b64, target: pathInside(dir, rel) })) : [];
        const escaping = files.find((f) => f.target === undefined);
        if (!r.ok || escaping !== undefined) {
          out.corrupt.push({ pointId: p.id, reason: r.ok ? `result file \`${escaping!.rel}\` would leave the run directory` : r.reason });
          continue;
        }
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileAtomic(f.target!, Buffer.from(f.b64, 'base64'));
        out.runDirs.push(dir);
        out.done.push(p.id);
      } else if (fail !== undefined) {
        const r = checkFailure(fail);
        if (!r.ok) {
          out.corrupt.push({ pointId: p.id, reason: r.reason });
          continue;
        }
        rmSync(dir, { recursive: true, force: true });
        writeFileAtomic(path.join(dir, RUN_FILES.record), `${JSON.stringify(r.value, null, 2)}\n`);
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
      const result = res === undefined ? undefined : checkResult(res);
      const failure = fail === undefined ? undefined : checkFailure(fail);
      if (result?.ok === false || failure?.ok === false) {
        s.phase = 'failed';
        s.error = result?.ok === false ? result.reason : failure?.ok === false ? failure.reason : '';
      } else if (result?.ok) {
        const r = result.value;
        s.phase = 'done';
        s.epoch = s.epochs;
        s.where = r.worker;
        s.seconds = r.wallSeconds;
        s.testAcc = r.testAcc;
      } else if (failure?.ok) {
        const r = failure.value;
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

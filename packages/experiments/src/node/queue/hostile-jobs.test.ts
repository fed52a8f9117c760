import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { tinySweep } from '../__tests__/fixtures.js';
import { hasRedisServer, startRedis } from '../../../../../tools/test-support/redis.js';
import { collectSweep } from './collect.js';
import { connectionOptions, connectRedis, parseRedisUrl } from './connection.js';
import { failuresKey, KEY_PREFIX, QUEUE_NAME, resultsKey, sweepKey } from './keys.js';
import { submitSweep, type QueueJobData } from './submit.js';
import { checkJobData, pathInside } from './validate-job.js';
import { runQueueWorker, type WorkerEvent } from './worker.js';

const redisAvailable = hasRedisServer();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-hostile-'));
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function validJob(): QueueJobData {
  const sweep = tinySweep('ok', { batch: [8] });
  const p = sweep.points[0]!;
  return {
    sweep: 'ok',
    sweepHash: '0123456789abcdef',
    pointId: p.id,
    index: 0,
    values: p.values,
    experiment: p.experiment,
    limits: {},
    overrides: { epochs: 1 },
    backend: 'auto',
    baseDir: tmp,
    snncVersion: 't',
  };
}

describe('checkJobData', () => {
  it('accepts a job as submitSweep writes it', () => {
    const r = checkJobData(validJob());
    expect(r.ok).toBe(true);
  });

  it.each([
    ['a sweep hash that is a path', { sweepHash: '/some/dir' }, /sweepHash/],
    ['a sweep hash with ..', { sweepHash: '../../../../tmp' }, /sweepHash/],
    ['a null experiment', { experiment: null }, /experiment/],
    ['an experiment missing its model', { experiment: { ...validJob().experiment, model: undefined } }, /experiment/],
    ['a sweep name that is a path', { sweep: '../x' }, /sweep/],
    ['an unknown backend', { backend: 'rm -rf' }, /backend/],
    ['a relative base directory', { baseDir: 'data' }, /baseDir/],
    ['a negative index', { index: -1 }, /index/],
    ['an unknown field', { extra: 1 }, /unknown field/],
    ['a non-numeric override', { overrides: { epochs: '3' } }, /overrides.epochs/],
  ])('refuses %s', (_what, patch, reason) => {
    const r = checkJobData({ ...validJob(), ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses data that is not an object', () => {
    expect(checkJobData(null).ok).toBe(false);
    expect(checkJobData({}).ok).toBe(false);
    expect(checkJobData('x').ok).toBe(false);
  });
});

describe('pathInside', () => {
  it('resolves inside the root and refuses what leaves it', () => {
    expect(pathInside('/w', 'a', 'b')).toBe(path.resolve('/w/a/b'));
    expect(pathInside('/w', '/etc')).toBeUndefined();
    expect(pathInside('/w', '..', 'x')).toBeUndefined();
    expect(pathInside('/w', '.')).toBeUndefined();
    expect(pathInside('/w', '..x')).toBe(path.resolve('/w/..x'));
  });
});

describe.skipIf(!redisAvailable)('a worker facing hostile jobs (real Redis)', () => {
  it('refuses every malformed job with a reason, deletes nothing outside its work directory, and keeps serving', async () => {
    const url = redis!.url;
    const canary = path.join(tmp, 'canary');
    mkdirSync(path.join(canary, 'batch=8'), { recursive: true });
    writeFileSync(path.join(canary, 'batch=8', 'keep.txt'), 'precious');

    // The sweep the good point belongs to, submitted the normal way, queued after the bad jobs.
    const sweep = tinySweep('ok', { batch: [8] });
    const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(parseRedisUrl(url)), prefix: KEY_PREFIX });
    const client = await connectRedis(url);
    try {
      const good = { ...validJob(), sweep: 'ok' };
      await queue.add('escape', { ...good, sweepHash: canary }, { jobId: 'escape' });
      await queue.add('null-exp', { ...good, experiment: null }, { jobId: 'null-exp' });
      await queue.add('empty', {}, { jobId: 'empty' });
      await queue.add('not-json', { a: 1 }, { jobId: 'not-json' });
      // What someone writing to Redis directly could leave: data BullMQ cannot parse.
      await client.hset(`${KEY_PREFIX}:${QUEUE_NAME}:not-json`, 'data', '{not json');
      const sub = await submitSweep({ url, sweep, overrides: { epochs: 1 }, baseDir: tmp, snncVersion: 't' });
      await queue.add('foreign-point', { ...good, sweepHash: sub.hash, pointId: 'batch=9999' }, { jobId: 'foreign-point' });

      const events: WorkerEvent[] = [];
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 60_000);
      await runQueueWorker({
        url,
        workDir: path.join(tmp, 'work'),
        threads: 1,
        trainerModule: new URL('../__tests__/fake-trainer.ts', import.meta.url).href,
        signal: stop.signal,
        onEvent: (e) => {
          events.push(e);
          if (events.filter((x) => x.kind === 'rejected').length === 5 && events.some((x) => x.kind === 'finished')) stop.abort();
        },
      });
      clearTimeout(timer);

      expect(readCanary(canary)).toBe('precious');
      const rejected = new Map(events.flatMap((e) => (e.kind === 'rejected' ? [[e.jobId, e.reason] as const] : [])));
      expect(rejected.get('escape')).toMatch(/sweepHash/);
      expect(rejected.get('null-exp')).toMatch(/experiment/);
      expect(rejected.get('empty')).toMatch(/sweep/);
      expect(rejected.get('not-json')).toMatch(/not JSON/);
      expect(rejected.get('foreign-point')).toMatch(/no point `batch=9999`/);
      // the good point behind them trained, and nothing was retried
      expect(events.filter((e) => e.kind === 'finished').map((e) => e.kind === 'finished' && e.status)).toEqual(['ok']);
      expect(await client.hlen(resultsKey(sub.hash))).toBe(1);
      expect(await queue.getJobCounts('active', 'wait', 'failed')).toEqual({ active: 0, wait: 0, failed: 5 });

      // `snnc report --queue` reads the rejections and survives malformed records
      await client.hset(failuresKey(sub.hash), 'batch=8', '{oops');
      await client.hset(resultsKey(sub.hash), 'batch=8', JSON.stringify({ files: { '../../escape.txt': 'aGk=' } }));
      const col = await collectSweep({ url, sweep: 'ok', outDir: path.join(tmp, 'runs') });
      expect(col.rejected.map((r) => r.jobId)).toEqual(['escape', 'foreign-point', 'null-exp']);
      expect(col.corrupt).toEqual([{ pointId: 'batch=8', reason: 'result file `../../escape.txt` would leave the run directory' }]);
      expect(existsSync(path.join(tmp, 'escape.txt'))).toBe(false);
      await client.set(sweepKey('ok'), '{"name": 1');
      const err = await collectSweep({ url, sweep: 'ok', outDir: path.join(tmp, 'runs') }).catch((e: unknown) => e);
      expect(isSnncError(err) && err.code).toBe('SNN7400');
    } finally {
      client.disconnect();
      await queue.close();
    }
  }, 90_000);
});

describe.skipIf(!redisAvailable)('a job BullMQ itself cannot read', () => {
  it('is said in the worker log, not swallowed', async () => {
    const url = redis!.url;
    const queue = new Queue(QUEUE_NAME, { connection: connectionOptions(parseRedisUrl(url)), prefix: KEY_PREFIX });
    const client = await connectRedis(url);
    try {
      await queue.add('bad-opts', { a: 1 }, { jobId: 'bad-opts' });
      // BullMQ's own options field, damaged: it fails to parse before any snnc code runs
      await client.hset(`${KEY_PREFIX}:${QUEUE_NAME}:bad-opts`, 'opts', '{nope');
      const events: WorkerEvent[] = [];
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 30_000);
      await runQueueWorker({
        url,
        workDir: path.join(tmp, 'work-errors'),
        threads: 1,
        signal: stop.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'queue-error') stop.abort();
        },
      });
      clearTimeout(timer);
      expect(events.some((e) => e.kind === 'queue-error' && /JSON/.test(e.message))).toBe(true);
    } finally {
      client.disconnect();
      await queue.close();
    }
  }, 60_000);
});

function readCanary(dir: string): string | undefined {
  try {
    return readFileSync(path.join(dir, 'batch=8', 'keep.txt'), 'utf8');
  } catch {
    return undefined;
  }
}

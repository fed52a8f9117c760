import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { collectSweep } from './collect.js';
import { connectRedis, parseRedisUrl } from './connection.js';
import { resultsKey, type QueueResult } from './keys.js';
import { submitSweep } from './submit.js';
import { runQueueWorker } from './worker.js';
import { loadRuns } from '../run-dir.js';
import { buildReport } from '../../report/table.js';
import { tinySweep } from '../__tests__/fixtures.js';
import { hasRedisServer, startRedis } from '../../../../../tools/test-support/redis.js';

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.log('queue tests skipped: redis-server is not on PATH (apt-get install -y redis-server)');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-queue-'));
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});
// A test that fails mid-way must not leave its workers serving: they would take the next test's jobs.
afterEach(async () => {
  const live = workers.filter((w) => w.exitCode === null && w.signalCode === null);
  await Promise.all(live.map((w) => new Promise((r) => { w.once('exit', r); w.kill('SIGKILL'); })));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Event {
  kind: string;
  pointId?: string;
  /** the point process, in `started` events */
  pid?: number;
  workerPid: number;
  status?: string;
}

function startWorker(url: string, name: string): { proc: ChildProcess; events: Event[] } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const main = fileURLToPath(new URL('../__tests__/queue-worker-main.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', tsx, main, url, path.join(tmp, name)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FAKE_EPOCH_MS: '300' },
  });
  workers.push(proc);
  const events: Event[] = [];
  let buf = '';
  proc.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line) as Event);
    }
  });
  proc.stderr!.on('data', (b: Buffer) => process.stderr.write(`[${name}] ${b.toString()}`));
  return { proc, events };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('parseRedisUrl', () => {
  it('reads host, port, db and credentials, and rejects other schemes with SNN7013', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2, tls: false });
    expect(parseRedisUrl('rediss://u:p%40ss@h')).toEqual({ host: 'h', port: 6379, db: 0, tls: true, username: 'u', password: 'p@ss' });
    let err: unknown;
    try {
      parseRedisUrl('http://h:1');
    } catch (e) {
      err = e;
    }
    expect(isSnncError(err) && err.code).toBe('SNN7013');
  });
});

describe.skipIf(!redisAvailable)('sweeps across machines on BullMQ + Redis', () => {
  it('says SNN7013 when no server answers', async () => {
    const err = await connectRedis('redis://127.0.0.1:1').catch((e: unknown) => e);
    expect(isSnncError(err) && err.code).toBe('SNN7013');
  });

  it('two workers share a sweep; a worker killed mid-point has it retried by the other; every point is collected exactly once', async () => {
    const url = redis!.url;
    const sweep = tinySweep('dist', { batch: [8, 16, 32], 'optimizer.lr': [0.01, 0.1] });
    const sub = await submitSweep({ url, sweep, overrides: { epochs: 3 }, baseDir: tmp, snncVersion: 't' });
    expect(sub.queued).toHaveLength(6);
    // submitting again queues nothing twice
    const again = await submitSweep({ url, sweep, overrides: { epochs: 3 }, baseDir: tmp, snncVersion: 't' });
    expect(again.hash).toBe(sub.hash);

    const a = startWorker(url, 'a');
    const b = startWorker(url, 'b');
    // Kill worker a in the middle of its first point (after one of its three epochs).
    await until('worker a to start a point', () => a.events.some((e) => e.kind === 'started'));
    const started = a.events.find((e) => e.kind === 'started')!;
    const killed = started.pointId!;
    await new Promise((r) => setTimeout(r, 450));
    a.proc.kill('SIGKILL');
    expect(a.events.some((e) => e.kind === 'finished' && e.pointId === killed)).toBe(false);
    // the dead worker's point process notices and stops: it cannot finish the point a second time
    await until('the orphaned point process to exit', () => !alive(started.pid!), 15_000);

    const client = await connectRedis(url);
    try {
      await until('all six results', async () => (await client.hlen(resultsKey(sub.hash))) === 6);
      const stored = await client.hgetall(resultsKey(sub.hash));
      const killedResult = JSON.parse(stored[killed]!) as QueueResult;
      expect(killedResult.worker).toMatch(new RegExp(`:${b.proc.pid}$`));
    } finally {
      client.disconnect();
    }
    // A worker stores the result in Redis before it prints `finished`, and on a busy machine the
    // line can arrive after the result: wait for the lines, then check none came twice.
    const finishedEvents = () => [...a.events, ...b.events].filter((e) => e.kind === 'finished');
    await until('six finished lines', () => finishedEvents().length >= 6, 15_000);
    // b trained the killed point; across both workers each point finished exactly once
    const finished = finishedEvents().map((e) => e.pointId!);
    expect(finished.sort()).toEqual(sweep.points.map((p) => p.id).sort());
    expect(b.events.some((e) => e.kind === 'started' && e.pointId === killed)).toBe(true);

    const out = path.join(tmp, 'collected');
    const col = await collectSweep({ url, sweep: 'dist', outDir: out });
    expect(col.missing).toEqual([]);
    expect(col.failed).toEqual([]);
    expect(col.done).toEqual(sweep.points.map((p) => p.id));
    const report = buildReport(loadRuns(col.runDirs));
    expect(report.rows.map((r) => r.label)).toEqual(sweep.points.map((p) => p.id));
    expect(report.rows.every((r) => r.status === 'ok' && r.epochs === 3)).toBe(true);
    expect(report.fields).toEqual(['batch', 'optimizer.lr']);
    const rec = JSON.parse(readFileSync(path.join(out, 'dist', killed, 'record.json'), 'utf8')) as { point: { sweepHash: string } };
    expect(rec.point.sweepHash).toBe(sub.hash);

    // a finished sweep submitted again queues nothing
    const third = await submitSweep({ url, sweep, overrides: { epochs: 3 }, baseDir: tmp, snncVersion: 't' });
    expect(third.queued).toEqual([]);
    expect(third.done).toHaveLength(6);
    b.proc.kill('SIGTERM');
    await new Promise((r) => b.proc.once('exit', r));
  });
  it('with a shared directory, runs stay there and only their small files travel through Redis', async () => {
    const url = redis!.url;
    const sweep = tinySweep('shared', { batch: [8] });
    const sub = await submitSweep({ url, sweep, overrides: { epochs: 1 }, baseDir: tmp, snncVersion: 't' });
    expect(sub.queued).toEqual(['batch=8']);
    const shared = path.join(tmp, 'nfs');
    const stop = new AbortController();
    const events: string[] = [];
    const worker = runQueueWorker({
      url,
      workDir: path.join(tmp, 'unused'),
      shared,
      threads: 1,
      trainerModule: new URL('../__tests__/fake-trainer.ts', import.meta.url).href,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e.kind);
        if (e.kind === 'finished') stop.abort();
      },
    });
    await worker;
    expect(events).toEqual(['ready', 'started', 'finished']);
    const client = await connectRedis(url);
    try {
      const r = JSON.parse((await client.hget(resultsKey(sub.hash), 'batch=8'))!) as QueueResult;
      expect(r.sharedDir).toBe(path.join(shared, 'shared', 'batch=8'));
      expect(Object.keys(r.files).sort()).toEqual(['metrics.jsonl', 'record.json', 'summary.json', 'train.log']);
      expect(r.testAcc).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
    expect(readFileSync(path.join(shared, 'shared', 'batch=8', 'summary.json'), 'utf8')).toContain('max_test_acc');
  });
});

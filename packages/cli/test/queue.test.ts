import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueueWorker } from '@snnc/experiments/node';
import { hasRedisServer, startRedis } from '../../../tools/test-support/redis.js';
import { snnc as run } from './helpers.js';

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.log('snnc sweep --queue tests skipped: redis-server is not on PATH (apt-get install -y redis-server)');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-cli-queue-'));
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
beforeAll(async () => {
  if (redisAvailable) redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const TINY = `neuron lif = LIF(tau: 2, threshold: 1, reset: 0, surrogate: atan(alpha: 2))
model mlp(input: [1, 28, 28], steps: 2) {
  encode direct
  flatten -> dense(12) -> lif -> dense(10) -> lif
  decode rate
}
experiment base {
  model: mlp  data: mnist  normalize: unit  target: onehot  loss: mse
  optimizer: adam(lr: 0.01)  schedule: constant  batch: 32  epochs: 1  seed: 1
}
sweep rates from base { optimizer.lr: [0.003, 0.03] }
`;

/** `snnc ARGS` in the temporary directory, through the shared test harness. */
const snnc = (args: string[]) => run(args, tmp);

describe.skipIf(!redisAvailable)('snnc sweep --queue, a worker, snnc report --queue', () => {
  it('queues the points, waits for a worker to train them, and collects the report', async () => {
    writeFileSync(path.join(tmp, 'tiny.snn'), TINY);
    const url = redis!.url;
    const sub = await snnc(['sweep', 'tiny.snn', '--queue', url, '--train-limit', '64', '--test-limit', '32', '--backend', 'wasm']);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/sweep rates \([0-9a-f]{16}\): 2 point\(s\) queued, 0 already done/);

    const stop = new AbortController();
    const worker = runQueueWorker({ url, workDir: path.join(tmp, 'work'), threads: 1, signal: stop.signal });
    const waited = await snnc(['sweep', 'tiny.snn', '--queue', url, '--wait', '--train-limit', '64', '--test-limit', '32', '--backend', 'wasm']);
    stop.abort();
    await worker;
    expect(waited.code).toBe(0);
    // still queued (or running) when asked again: not queued twice, and it waits for them
    expect(waited.stdout).toMatch(/2 point\(s\) queued, 0 already done|1 point\(s\) queued, 1 already done|0 point\(s\) queued, 2 already done/);
    expect(waited.stdout).toMatch(/optimizer\.lr=0\.03: done in \d+\.\d s, test acc \d+\.\d\d%/);
    expect(waited.stdout).toContain('2 points: 2 done');

    const rep = await snnc(['report', '--queue', url, '--sweep', 'rates']);
    expect(rep.stderr).toBe('');
    expect(rep.code).toBe(0);
    expect(rep.stdout).toContain('2 done, 0 failed, 0 not finished yet');
    expect(rep.stdout).toMatch(/optimizer\.lr=0\.003\s+0\.003\s+ok\s+1\s/);
    const dir = path.join(tmp, 'runs', 'rates', 'optimizer.lr=0.03');
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'))).toMatchObject({ status: 'completed', trainSamples: 64 });
    // without --shared the checkpoints travel through Redis too
    expect(existsSync(path.join(dir, 'best'))).toBe(true);
    expect(existsSync(path.join(tmp, 'runs', 'rates', 'report', 'report.html'))).toBe(true);

    const unknown = await snnc(['report', '--queue', url, '--sweep', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('SNN9002');
  });
});

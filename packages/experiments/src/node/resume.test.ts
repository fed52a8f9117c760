import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweepLocal } from './local-sweep.js';
import { readMetrics, readRecord } from './run-dir.js';
import { tinySweep } from './__tests__/fixtures.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('an interrupted sweep (real runtime)', () => {
  it('saves a checkpoint on abort and continues the point from it on the next run', async () => {
    const sweep = tinySweep('resume', { seed: [5] });
    const common = { sweep, runsDir: tmp, baseDir: tmp, snncVersion: 't', backend: 'wasm' as const, overrides: { epochs: 3, trainLimit: 64, testLimit: 32 } };
    const stop = new AbortController();
    const first = await runSweepLocal({
      ...common,
      signal: stop.signal,
      onUpdate: (_all, s) => {
        if (s.phase === 'running' && s.epoch >= 1) stop.abort();
      },
    });
    const dir = path.join(tmp, 'resume', 'seed=5');
    expect(first.points[0]!.phase).toBe('failed');
    expect(first.points[0]!.error).toMatch(/interrupted after [12] of 3 epoch/);
    const done = readMetrics(dir).length;
    expect(done).toBeGreaterThanOrEqual(1);

    const second = await runSweepLocal(common);
    expect(second.points[0]!.phase).toBe('done');
    expect(second.points[0]!.where).toMatch(/resumed$/);
    expect(readMetrics(dir).map((m) => m.epoch)).toEqual([0, 1, 2]);
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { status: string; resumedFrom: { epoch: number } | null };
    expect(summary.status).toBe('completed');
    expect(summary.resumedFrom?.epoch).toBe(done);
    expect(readRecord(dir)!.status).toBe('ok');
  });
});

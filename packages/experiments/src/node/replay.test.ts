import { mkdtempSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { runSweepLocal } from './local-sweep.js';
import { compareMetrics, replayRun } from './replay.js';
import { readMetrics, readRecord } from './run-dir.js';
import { tinySweep } from './__tests__/fixtures.js';

const fakeTrainer = new URL('./__tests__/fake-trainer.ts', import.meta.url).href;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('replayRun (orchestration, with a stand-in trainer)', () => {
  it('re-runs a recorded run with the recorded spec, limits, seed and backend', async () => {
    const sweep = tinySweep('rep', { 'optimizer.lr': [0.05] });
    await runSweepLocal({ sweep, runsDir: tmp, baseDir: tmp, snncVersion: 't', trainerModule: fakeTrainer, backend: 'wasm', overrides: { epochs: 3, testLimit: 100 } });
    const dir = path.join(tmp, 'rep', 'optimizer.lr=0.05');
    const r = await replayRun(dir, { snncVersion: 't', trainerModule: fakeTrainer });
    expect(r.runDir).toBe(`${dir}-replay`);
    expect(r.record.status).toBe('ok');
    expect(r.record.specHash).toBe(r.original.specHash);
    expect(r.record.experiment).toEqual(r.original.experiment);
    expect(r.record.limits).toEqual({ testLimit: 100 });
    expect(r.record.backend.requested).toBe('wasm');
    expect(r.comparison).toEqual({ equal: true, differences: [] });
    expect(readMetrics(r.runDir)).toHaveLength(3);
    const again = await replayRun(dir, { snncVersion: 't', trainerModule: fakeTrainer });
    expect(again.runDir).toBe(`${dir}-replay-2`);
    expect(readRecord(again.runDir)!.status).toBe('ok');
  });

  it('throws SNN7012 for a directory without a record', async () => {
    const err = await replayRun(path.join(tmp, 'nope'), { snncVersion: 't' }).catch((e: unknown) => e);
    expect(isSnncError(err) && err.code).toBe('SNN7012');
  });

  it('compareMetrics ignores timings and names the first differences', () => {
    const a = [{ epoch: 0, test_acc: 0.5, total_time: 1 }];
    expect(compareMetrics(a, [{ epoch: 0, test_acc: 0.5, total_time: 9 }]).equal).toBe(true);
    const d = compareMetrics(a, [{ epoch: 0, test_acc: 0.6, total_time: 1 }]);
    expect(d.equal).toBe(false);
    expect(d.differences).toEqual(['epoch 0 test_acc: 0.5 vs 0.6']);
  });
});

describe('replayRun with the real runtime', () => {
  it('the same spec and seed on the same backend give the same numbers; another seed does not', async () => {
    const sweep = tinySweep('real', { seed: [1, 2] });
    const res = await runSweepLocal({ sweep, runsDir: tmp, baseDir: tmp, snncVersion: 't', backend: 'wasm', parallel: 2, overrides: { epochs: 2, trainLimit: 96, testLimit: 64 } });
    expect(res.points.map((p) => [p.phase, p.error])).toEqual([['done', null], ['done', null]]);
    const dir = path.join(tmp, 'real', 'seed=1');
    const original = readMetrics(dir);
    expect(original).toHaveLength(2);
    expect(readRecord(dir)!.backend.name).toBe('wasm');
    const r = await replayRun(dir, { snncVersion: 't' });
    expect(r.record.status).toBe('ok');
    expect(r.record.backend.name).toBe('wasm');
    expect(r.comparison.differences).toEqual([]);
    expect(readMetrics(r.runDir).map((m) => [m.train_loss, m.test_acc])).toEqual(original.map((m) => [m.train_loss, m.test_acc]));
    // the comparison can fail: a different seed trains differently
    expect(compareMetrics(original, readMetrics(path.join(tmp, 'real', 'seed=2'))).equal).toBe(false);
  });
});

describe('replayRun of a plain `snnc run` directory', () => {
  it('rebuilds the record from the files runExperiment wrote and reproduces the numbers', async () => {
    const { runExperiment } = await import('@snnc/runtime/node');
    const e = tinySweep('plain', { seed: [3] }).points[0]!.experiment;
    e.name = 'plain';
    e.epochs = 1;
    const sink = new PassThrough();
    sink.resume();
    const summary = await runExperiment({
      experiment: e,
      specFile: path.join(tmp, 'plain.snn'),
      specSource: '// plain',
      runsDir: path.join(tmp, 'plain-runs'),
      backend: 'wasm',
      overrides: { trainLimit: 96, testLimit: 64 },
      out: sink,
      tty: false,
    });
    expect(readRecord(summary.runDir)).toBeUndefined();
    const r = await replayRun(summary.runDir, { snncVersion: 't' });
    expect(r.original.limits).toEqual({ trainLimit: 96, testLimit: 64 });
    expect(r.original.backend).toMatchObject({ requested: 'wasm', name: 'wasm' });
    expect(r.original.spec?.source).toBe('// plain');
    expect(r.record.status).toBe('ok');
    expect(r.comparison).toEqual({ equal: true, differences: [] });
  });
});


import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweepLocal } from './local-sweep.js';
import { isFinished, readRecord } from './run-dir.js';
import { tinySweep } from './__tests__/fixtures.js';
import { formatStatusTable } from '../status.js';

const fakeTrainer = new URL('./__tests__/fake-trainer.ts', import.meta.url).href;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const common = { baseDir: tmp, snncVersion: '0.0.0-test', trainerModule: fakeTrainer, backend: 'cpu' as const };

describe('runSweepLocal', () => {
  it('expands a sweep into one run directory per point, each in its own process, and records each', async () => {
    const sweep = tinySweep('grid', { batch: [16, 64], 'optimizer.lr': [0.001, 0.1] });
    const pids = new Set<string>();
    const res = await runSweepLocal({
      ...common,
      sweep,
      runsDir: path.join(tmp, 'runs'),
      parallel: 2,
      overrides: { epochs: 3, trainLimit: 200 },
      onUpdate: (_all, s) => {
        if (s.where) pids.add(s.where);
      },
    });
    expect(res.failed).toBe(0);
    expect(res.points.map((p) => p.phase)).toEqual(['done', 'done', 'done', 'done']);
    expect(pids.size).toBe(4);
    expect(pids.has(`pid ${process.pid}`)).toBe(false);
    for (const p of sweep.points) {
      const dir = path.join(tmp, 'runs', 'grid', p.id);
      expect(existsSync(path.join(dir, 'summary.json'))).toBe(true);
      const lines = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(3); // --epochs 3 overrides the spec's 2
      const rec = readRecord(dir)!;
      expect(rec.status).toBe('ok');
      expect(rec.experiment.epochs).toBe(3);
      expect(rec.experiment.batch).toBe(p.values['batch']);
      expect(rec.experiment.optimizer.lr).toBe(p.values['optimizer.lr']);
      expect(rec.limits).toEqual({ trainLimit: 200 });
      expect(rec.point).toMatchObject({ sweep: 'grid', pointId: p.id, sweepHash: res.plan.hash });
      expect(rec.backend).toMatchObject({ requested: 'cpu', name: 'cpu' });
      expect(rec.specHash).toMatch(/^[0-9a-f]{64}$/);
      expect(rec.machine.cores).toBeGreaterThan(0);
      expect(rec.snncVersion).toBe('0.0.0-test');
      expect(isFinished(dir, rec.specHash)).toBe(true);
    }
    expect(new Set(sweep.points.map((p) => readRecord(path.join(tmp, 'runs', 'grid', p.id))!.specHash)).size).toBe(4);
  });

  it('skips points already finished on a re-run, and re-runs a point whose spec changed', async () => {
    const sweep = tinySweep('again', { batch: [16, 32, 64] });
    const runsDir = path.join(tmp, 'runs');
    const first = await runSweepLocal({ ...common, sweep, runsDir, parallel: 3 });
    expect(first.points.map((p) => p.phase)).toEqual(['done', 'done', 'done']);
    const before = readRecord(path.join(runsDir, 'again', 'batch=16'))!.startedAt;

    const second = await runSweepLocal({ ...common, sweep, runsDir, parallel: 3 });
    expect(second.points.map((p) => p.phase)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(second.records.size).toBe(0);
    expect(readRecord(path.join(runsDir, 'again', 'batch=16'))!.startedAt).toBe(before);

    // A half-finished point (no summary.json) and a changed spec run again; the rest is kept.
    rmSync(path.join(runsDir, 'again', 'batch=32', 'summary.json'));
    const changed = tinySweep('again', { batch: [16, 32, 64] });
    changed.points[2]!.experiment.seed = 99;
    const third = await runSweepLocal({ ...common, sweep: changed, runsDir, parallel: 2 });
    expect(third.points.map((p) => p.phase)).toEqual(['skipped', 'done', 'done']);
    expect(readRecord(path.join(runsDir, 'again', 'batch=64'))!.seed).toBe(99);
  });

  it('copies a point whose spec and backend already ran in another sweep instead of training it', async () => {
    const runsDir = path.join(tmp, 'shared-runs');
    await runSweepLocal({ ...common, sweep: tinySweep('by_batch', { batch: [16, 32] }), runsDir });
    const lr = tinySweep('by_lr', { 'optimizer.lr': [0.01, 0.1] }); // lr 0.01 at batch 32 is by_batch's batch=32
    const res = await runSweepLocal({ ...common, sweep: lr, runsDir });
    expect(res.points.map((p) => p.phase)).toEqual(['skipped', 'done']);
    expect(res.points[0]!.where).toBe(`same spec as ${path.join('by_batch', 'batch=32')}`);
    const copy = readRecord(path.join(runsDir, 'by_lr', 'optimizer.lr=0.01'))!;
    expect(copy.reusedFrom).toBe(path.join(runsDir, 'by_batch', 'batch=32'));
    expect(copy.point).toMatchObject({ sweep: 'by_lr', pointId: 'optimizer.lr=0.01', index: 0 });
    expect(readFileSync(path.join(runsDir, 'by_lr', 'optimizer.lr=0.01', 'metrics.jsonl'), 'utf8')).toBe(
      readFileSync(path.join(runsDir, 'by_batch', 'batch=32', 'metrics.jsonl'), 'utf8'),
    );
    // another backend is another result: no reuse
    const other = await runSweepLocal({ ...common, backend: 'wasm', sweep: tinySweep('by_lr_wasm', { 'optimizer.lr': [0.01] }), runsDir });
    expect(other.points[0]!.phase).toBe('done');
    // and reuse can be turned off
    const off = await runSweepLocal({ ...common, sweep: tinySweep('by_lr_again', { 'optimizer.lr': [0.01] }), runsDir, reuse: false });
    expect(off.points[0]!.phase).toBe('done');
  });

  it('reports a failing point and finishes the others', async () => {
    const sweep = tinySweep('mixed', { batch: [16, 32, 64] });
    sweep.points[1]!.experiment.data = { kind: 'idx', trainImages: 'missing-train.idx', trainLabels: 'l', testImages: 't', testLabels: 'tl', classes: 10 };
    const res = await runSweepLocal({ ...common, sweep, runsDir: path.join(tmp, 'runs-mixed'), parallel: 1 });
    expect(res.failed).toBe(1);
    expect(res.points.map((p) => p.phase)).toEqual(['done', 'failed', 'done']);
    expect(res.points[1]!.error).toContain('SNN7001');
    const rec = readRecord(path.join(tmp, 'runs-mixed', 'mixed', 'batch=32'))!;
    expect(rec.status).toBe('failed');
    expect(rec.error?.code).toBe('SNN7001');
    expect(readFileSync(path.join(tmp, 'runs-mixed', 'mixed', 'batch=32', 'train.log'), 'utf8')).toContain('missing-train.idx');
    expect(formatStatusTable(res.points)).toContain('3 points: 2 done, 1 failed');
    // a failed point is not finished: the next invocation tries it again
    const again = await runSweepLocal({ ...common, sweep, runsDir: path.join(tmp, 'runs-mixed'), parallel: 1 });
    expect(again.points.map((p) => p.phase)).toEqual(['skipped', 'failed', 'skipped']);
  });

  it('records a point process that dies without reporting as failed', async () => {
    const sweep = tinySweep('crash', { batch: [16] });
    const res = await runSweepLocal({ ...common, sweep, runsDir: path.join(tmp, 'runs-crash'), trainerModule: new URL('./__tests__/crash-trainer.ts', import.meta.url).href });
    expect(res.points[0]!.phase).toBe('failed');
    expect(res.points[0]!.error).toMatch(/exited with code 3/);
  });
});


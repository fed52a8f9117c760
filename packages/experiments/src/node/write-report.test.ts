import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweepLocal } from './local-sweep.js';
import { findRunDirs, loadRuns } from './run-dir.js';
import { writeReport } from './write-report.js';
import { tinyExperiment, tinySweep } from './__tests__/fixtures.js';

const fakeTrainer = new URL('./__tests__/fake-trainer.ts', import.meta.url).href;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const runsDir = path.join(tmp, 'runs');
beforeAll(async () => {
  const sweep = tinySweep('codes', { target: ['onehot', 'inverse_onehot', 'binary', 'gray'] });
  sweep.points[3]!.experiment.data = { kind: 'idx', trainImages: 'missing.idx', trainLabels: 'l', testImages: 't', testLabels: 'tl', classes: 10 };
  await runSweepLocal({ sweep, runsDir, baseDir: tmp, snncVersion: '0.0.0-test', trainerModule: fakeTrainer, parallel: 2, overrides: { epochs: 2, trainLimit: 1000 } });
});

describe('writeReport', () => {
  it('finds the runs of a sweep directory in sweep order and tabulates them', async () => {
    const dirs = findRunDirs([path.join(runsDir, 'codes')]);
    expect(dirs).toHaveLength(4);
    const runs = loadRuns(dirs);
    expect(runs.map((r) => r.label)).toEqual(['target=onehot', 'target=inverse_onehot', 'target=binary', 'target=gray']);
    const out = path.join(tmp, 'report');
    const w = await writeReport(runs, { outDir: out });
    expect(w.report.fields).toEqual(['target']);
    expect(w.report.sweep).toBe('codes');
    const ok = w.report.rows.filter((r) => r.status === 'ok');
    expect(ok).toHaveLength(3);
    for (const r of ok) {
      const metrics = runs.find((x) => x.label === r.label)!.metrics;
      expect(r.epochs).toBe(2);
      expect(r.testAcc).toBe(metrics[1]!.test_acc);
      expect(r.bestTestAcc).toBe(Math.max(metrics[0]!.test_acc!, metrics[1]!.test_acc!));
      expect(r.secondsPerEpoch).toBeCloseTo(0.05, 5);
      expect(r.imagesPerSecond).toBeCloseTo(1000 / 0.05, 3);
      expect(r.backend).toBe('cpu');
    }
    const gray = w.report.rows[3]!;
    expect(gray.status).toBe('failed');
    expect(gray.error).toContain('SNN7001');

    // terminal
    expect(w.terminal.split('\n')[0]).toMatch(/^run\s+target\s+status\s+epochs\s+train acc %\s+test acc %\s+best test %\s+s\/epoch\s+img\/s\s+backend$/);
    expect(w.terminal).toContain('target=binary');
    // markdown
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('# sweep codes');
    expect(md).toContain('| run | target | status |');
    expect(md).toContain(`| target=onehot | onehot | ok | 2 | ${(ok[0]!.trainAcc! * 100).toFixed(2)} | ${(ok[0]!.testAcc! * 100).toFixed(2)} |`);
    expect(md).toContain('![Test accuracy against target](test-acc-vs-target.svg)');
    expect(md).toContain('## Failed runs');
    // csv: header, 4 rows, raw fractions
    const csv = readFileSync(path.join(out, 'report.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,target,status,epochs,train_acc,test_acc,best_test_acc,train_loss,test_loss,seconds_per_epoch,images_per_second,backend,seed,spec_hash,dir,error');
    expect(csv).toHaveLength(5);
    expect(csv[1]!.split(',').slice(0, 6)).toEqual(['target=onehot', 'onehot', 'ok', '2', String(ok[0]!.trainAcc), String(ok[0]!.testAcc)]);
    expect(csv[4]).toMatch(/^target=gray,gray,failed,0,/);
    // json
    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { reportVersion: number; fields: string[]; rows: { label: string; testAcc: number | null }[] };
    expect(json.reportVersion).toBe(1);
    expect(json.fields).toEqual(['target']);
    expect(json.rows.map((r) => r.label)).toEqual(runs.map((r) => r.label));
    expect(json.rows[0]!.testAcc).toBe(ok[0]!.testAcc);
    // figures and html
    expect(w.figures.map((f) => f.name)).toEqual(['test-acc-vs-target', 'curves']);
    const svg = readFileSync(path.join(out, 'curves.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('target=inverse_onehot');
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain('<td>target=gray</td>');
    expect(html).toContain('<tr class="failed">');
  });

  it('compares individual runs by the fields that differ between them', async () => {
    const a = path.join(tmp, 'single', 'a');
    const b = path.join(tmp, 'single', 'b');
    for (const [dir, lr, acc] of [[a, 0.01, 0.9], [b, 0.1, 0.8]] as const) {
      mkdirSync(dir, { recursive: true });
      const e = tinyExperiment('base');
      e.optimizer.lr = lr;
      writeFileSync(path.join(dir, 'experiment.json'), JSON.stringify(e));
      writeFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 0, train_acc: acc, test_acc: acc, train_loss: 0.1, total_time: 10 })}\n`);
      writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ backend: 'wasm', train_images: 2000 }));
    }
    const runs = loadRuns(findRunDirs([a, b]));
    expect(runs.map((r) => r.label)).toEqual(['a', 'b']);
    const w = await writeReport(runs, { outDir: path.join(tmp, 'single-report'), title: 'two runs' });
    expect(w.report.fields).toEqual(['optimizer.lr']);
    expect(w.report.rows.map((r) => [r.values['optimizer.lr'], r.testAcc, r.secondsPerEpoch, r.imagesPerSecond, r.backend, r.status])).toEqual([
      [0.01, 0.9, 10, 200, 'wasm', 'ok'],
      [0.1, 0.8, 10, 200, 'wasm', 'ok'],
    ]);
    expect(w.figures.map((f) => f.name)).toEqual(['test-acc-vs-optimizer-lr', 'curves']);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snnc as run } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-cli-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TINY = `neuron lif = LIF(tau: 2, threshold: 1, reset: 0, surrogate: atan(alpha: 2))

model mlp(input: [1, 28, 28], steps: 2, hidden: 16) {
  encode direct
  flatten -> dense(hidden) -> lif -> dense(10) -> lif
  decode rate
}

experiment base {
  model: mlp
  data: mnist
  normalize: unit
  target: onehot
  loss: mse
  optimizer: adam(lr: 0.01)
  schedule: constant
  batch: 32
  epochs: 1
  seed: 1
}

sweep widths from base { model.hidden: [8, 16] }
sweep rates from base { optimizer.lr: [0.001, 0.01] }
`;

/** `snnc ARGS` in the temporary directory, through the shared test harness. */
const snnc = (args: string[]) => run(args, tmp);

describe('snnc sweep and snnc report', () => {
  writeFileSync(path.join(tmp, 'tiny.snn'), TINY);

  it('asks which sweep when the file has several', async () => {
    const r = await snnc(['sweep', 'tiny.snn']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SNN9002');
    expect(r.stderr).toContain('sweeps: widths, rates');
  });

  it('trains every point with the real runtime, skips them on a re-run, and reports them', async () => {
    const args = ['sweep', 'tiny.snn', '--sweep', 'widths', '--train-limit', '96', '--test-limit', '64', '--backend', 'wasm', '-j', '2'];
    const r = await snnc(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('model.hidden=8: done');
    expect(r.stdout).toContain('2 points: 2 done');
    for (const id of ['model.hidden=8', 'model.hidden=16']) {
      const dir = path.join(tmp, 'runs', 'widths', id);
      const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { status: string; trainSamples: number };
      expect(summary).toMatchObject({ status: 'completed', trainSamples: 96 });
      const record = JSON.parse(readFileSync(path.join(dir, 'record.json'), 'utf8')) as { spec: { source: string }; backend: { name: string } };
      expect(record.spec.source).toBe(TINY);
      expect(record.backend.name).toBe('wasm');
      expect(existsSync(path.join(dir, 'best'))).toBe(true);
    }
    expect(existsSync(path.join(tmp, 'runs', 'widths', 'report', 'report.html'))).toBe(true);

    const again = await snnc(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('2 points: 2 skipped');

    const rep = await snnc(['report', 'runs/widths', '--out', 'cmp']);
    expect(rep.code).toBe(0);
    expect(rep.stdout.split('\n')[0]).toMatch(/^run\s+model\.hidden\s+status/);
    expect(rep.stdout).toMatch(/model\.hidden=16\s+16\s+ok\s+1\s/);
    for (const f of ['report.md', 'report.csv', 'report.json', 'report.html', 'curves.svg', 'test-acc-vs-model-hidden.svg']) {
      expect(existsSync(path.join(tmp, 'cmp', f))).toBe(true);
    }
  });

  it('report: a directory without runs is SNN9002, a missing one SNN7012, no arguments a usage error', async () => {
    mkdirSync(path.join(tmp, 'empty'));
    const none = await snnc(['report', 'empty']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('SNN9002');
    const missing = await snnc(['report', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SNN7012');
    expect((await snnc(['report'])).code).toBe(2);
  });
});

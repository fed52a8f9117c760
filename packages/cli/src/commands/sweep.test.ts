import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { registerReportCommand } from './report.js';
import { registerSweepCommand } from './sweep.js';

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

/** Runs `snnc <args>` with only the commands of this area registered, capturing the output. */
async function snnc(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const io: Io = { stdout, stderr, cwd: tmp };
  let code = 0;
  const program = new Command('snnc').exitOverride().configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  registerSweepCommand(program, io, (c) => (code = c));
  registerReportCommand(program, io, (c) => (code = c));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch {
    code = 2;
  }
  return { code, out, err };
}

describe('snnc sweep and snnc report', () => {
  writeFileSync(path.join(tmp, 'tiny.snn'), TINY);

  it('asks which sweep when the file has several', async () => {
    const r = await snnc(['sweep', 'tiny.snn']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('SNN9002');
    expect(r.err).toContain('sweeps: widths, rates');
  });

  it('trains every point with the real runtime, skips them on a re-run, and reports them', async () => {
    const args = ['sweep', 'tiny.snn', '--sweep', 'widths', '--train-limit', '96', '--test-limit', '64', '--backend', 'wasm', '-j', '2'];
    const r = await snnc(args);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('model.hidden=8: done');
    expect(r.out).toContain('2 points: 2 done');
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
    expect(again.out).toContain('2 points: 2 skipped');

    const rep = await snnc(['report', 'runs/widths', '--out', 'cmp']);
    expect(rep.code).toBe(0);
    expect(rep.out.split('\n')[0]).toMatch(/^run\s+model\.hidden\s+status/);
    expect(rep.out).toMatch(/model\.hidden=16\s+16\s+ok\s+1\s/);
    for (const f of ['report.md', 'report.csv', 'report.json', 'report.html', 'curves.svg', 'test-acc-vs-model-hidden.svg']) {
      expect(existsSync(path.join(tmp, 'cmp', f))).toBe(true);
    }
  });

  it('report: a directory without runs is SNN9002, a missing one SNN7012, no arguments a usage error', async () => {
    mkdirSync(path.join(tmp, 'empty'));
    const none = await snnc(['report', 'empty']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('SNN9002');
    const missing = await snnc(['report', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('SNN7012');
    expect((await snnc(['report'])).code).toBe(2);
  });
});

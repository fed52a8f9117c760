import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '@snnc/dsl';
import { runExperiment } from '@snnc/runtime/node';
import { snnc, tempFiles } from './helpers.js';

const SPEC = `neuron lif = LIF(tau: 2.0)
model m(input: [1, 28, 28], steps: 2) {
  flatten -> dense(10) -> lif
}
experiment tiny { model: m  data: mnist  target: onehot  loss: mse  optimizer: adam(lr: 0.01)  batch: 25  epochs: 1  seed: 1 }
`;
const dir = tempFiles({ 'tiny.snn': SPEC });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LIMITS = ['--backend', 'cpu', '--train-limit', '100', '--test-limit', '50'];

function runDirs(runs: string): string[] {
  const exp = path.join(dir, runs, 'tiny');
  return readdirSync(exp).map((d) => path.relative(dir, path.join(exp, d)));
}
const epochsIn = (run: string) => readFileSync(path.join(dir, run, 'metrics.jsonl'), 'utf8').trim().split('\n').length;

describe('snnc run --resume RUN_DIR (no FILE)', () => {
  it('says a finished run has finished (exit 0), extends it with more --epochs, and refuses other overrides', async () => {
    expect((await snnc(['run', 'tiny.snn', ...LIMITS, '--runs-dir', 'done'], dir)).code).toBe(0);
    const [run] = runDirs('done');
    const again = await snnc(['run', '--resume', run!], dir);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/has finished: 1 of 1 epoch\(s\), best test_acc=0\.\d{4}\. Nothing to resume; give --epochs N \(more than 1\)/);

    const more = await snnc(['run', '--resume', run!, '--epochs', '2'], dir);
    expect(more.code).toBe(0);
    expect(more.stdout).toContain('resumed at epoch 1');
    expect(epochsIn(run!)).toBe(2);

    const changed = await snnc(['run', '--resume', run!, '--batch', '8'], dir);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('--batch cannot change a run being resumed');
  }, 120_000);

  it('continues an interrupted run from its checkpoint', async () => {
    // An interrupted run, as Ctrl-C leaves it: `last/` saved before the first batch.
    const ir = compile(SPEC, { file: 'tiny.snn' }).ir!;
    const stop = new AbortController();
    stop.abort();
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const s = await runExperiment({ experiment: ir.experiments[0]!, specFile: path.join(dir, 'tiny.snn'), specSource: SPEC, runsDir: path.join(dir, 'cut'), backend: 'cpu', overrides: { trainLimit: 100, testLimit: 50 }, out: sink, tty: false, signal: stop.signal });
    expect(s.status).toBe('interrupted');
    const run = path.relative(dir, s.runDir);
    const r = await snnc(['run', '--resume', run], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('resumed at epoch 0, batch 0');
    expect(epochsIn(run)).toBe(1);
  }, 120_000);

  it('is a located error, not a crash, for a directory that is not a run', async () => {
    mkdirSync(path.join(dir, 'empty'));
    const r = await snnc(['run', '--resume', 'empty'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SNN7012: `.*empty` is not a run directory/);
  });
});

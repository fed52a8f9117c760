import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isSnncError, type Experiment } from '@snnc/ir';
import { experiment, mlpModel } from '../../train/__tests__/experiments.js';
import { isImprovement } from '../../train/trainer.js';
import { runExperiment, type RunOptions } from './run-experiment.js';

/** What a run says and leaves behind when it fails: no false "best" claims, no stack traces. */
const root = mkdtempSync(path.join(tmpdir(), 'snnc-run-failures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const small = (over: Partial<Experiment> = {}) =>
  experiment(mlpModel(16, 2), { name: 'small', epochs: 1, batch: 25, optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, ...over });

function options(exp: Experiment, runsDir: string, out: Capture, over: Partial<RunOptions> = {}): RunOptions {
  return { experiment: exp, specFile: path.join(root, 'small.snn'), specSource: '', runsDir, backend: 'cpu', overrides: { trainLimit: 100, testLimit: 50 }, out, tty: false, ...over };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isSnncError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('a run that fails', () => {
  it('does not claim a best checkpoint when the loss is not finite in the first epoch', async () => {
    // membrane outputs and an absurd learning rate: the second batch of epoch 0 overflows
    const model = { ...mlpModel(16, 2), decoder: { kind: 'membrane' as const } };
    const exp = small({ model, optimizer: { kind: 'sgd', lr: 1e30, momentum: 0, nesterov: false, weightDecay: 0 } });
    const out = new Capture();
    const f = await failure(runExperiment(options(exp, path.join(root, 'nan'), out)));
    expect(f.code).toBe('SNN7005');
    expect(out.text).not.toContain('the best checkpoint');
    expect(out.text).toContain('no checkpoint was saved');
  });

  it('says SNN7011 when a resumed run cannot write its directory', async () => {
    const out = new Capture();
    const first = await runExperiment(options(small(), path.join(root, 'ro'), out));
    // As root, permissions do not stop writes; a directory where metrics.jsonl belongs does.
    rmSync(path.join(first.runDir, 'metrics.jsonl'));
    mkdirSync(path.join(first.runDir, 'metrics.jsonl'));
    const f = await failure(runExperiment(options(small(), path.join(root, 'ro'), out, { resume: first.runDir, overrides: { epochs: 2 } })));
    expect(f.code).toBe('SNN7011');
    expect(f.message).toContain(first.runDir);
  });
  it('says SNN7011 when a write fails in the middle of a run', async () => {
    const out = new Capture();
    const first = await runExperiment(options(small(), path.join(root, 'mid'), out));
    // The resume itself can write; the curves written after the first resumed epoch cannot.
    rmSync(path.join(first.runDir, 'curves.svg'));
    mkdirSync(path.join(first.runDir, 'curves.svg'));
    const f = await failure(runExperiment(options(small(), path.join(root, 'mid'), out, { resume: first.runDir, overrides: { epochs: 2 } })));
    expect(f.code).toBe('SNN7011');
    expect(f.message).toContain('it is a directory');
  });
});

describe('isImprovement', () => {
  it('never takes an evaluation with a non-finite loss as the best', () => {
    expect(isImprovement(null, { loss: Infinity, accuracy: 0.1 })).toBe(false);
    expect(isImprovement(0.5, { loss: NaN, accuracy: 0.9 })).toBe(false);
    expect(isImprovement(null, { loss: 2.3, accuracy: 0.1 })).toBe(true);
    expect(isImprovement(0.5, { loss: 0.4, accuracy: 0.5 })).toBe(false);
    expect(isImprovement(0.5, { loss: 0.4, accuracy: 0.6 })).toBe(true);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isSnncError, type Experiment } from '@snnc/ir';
import { experiment, mlpModel } from '../../train/__tests__/experiments.js';
import type { EpochMetrics } from '../../train/index.js';
import { loadBackend, type BackendName } from '../backend/index.js';
import { evaluateCheckpoint } from './evaluate-checkpoint.js';
import { runExperiment, type RunOptions, type RunSummary } from './run-experiment.js';

const root = mkdtempSync(path.join(tmpdir(), 'snnc-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const SPEC = '// test spec\nexperiment small { }\n';
const small = (over: Partial<Experiment> = {}) => experiment(mlpModel(32, 4), { name: 'small', epochs: 2, batch: 50, optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, ...over });

function options(exp: Experiment, backend: BackendName, runsDir: string, out: Capture, over: Partial<RunOptions> = {}): RunOptions {
  return { experiment: exp, specFile: path.join(root, 'small.snn'), specSource: SPEC, runsDir, backend, overrides: { trainLimit: 1000, testLimit: 200 }, out, tty: false, ...over };
}

const readMetrics = (dir: string): EpochMetrics[] =>
  readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as EpochMetrics);
const withoutTimes = (h: EpochMetrics[]) => h.map(({ total_time, train_time, test_time, images_per_s, ...rest }) => rest);
const bin = (dir: string) => readFileSync(path.join(dir, 'weights.bin'));

/** Backends that load here; the cpu backend always does. */
async function available(): Promise<BackendName[]> {
  const names: BackendName[] = [];
  for (const b of ['cpu', 'wasm'] as const) {
    try {
      await loadBackend(b);
      names.push(b);
    } catch {
      // not installed on this machine: skipped, not failed
    }
  }
  return names;
}
const backends = await available();

describe.each(backends)('runExperiment on %s', (backend) => {
  const runsDir = path.join(root, backend);
  let full: RunSummary;
  let fullOut: Capture;

  it('trains, prints the report lines and writes a complete run directory', async () => {
    fullOut = new Capture();
    full = await runExperiment(options(small(), backend, runsDir, fullOut));
    const text = fullOut.text;
    expect(text.split('\n')[0]).toMatch(new RegExp(`^backend: ${backend}`));
    const lines = text.split('\n').filter((l) => l.startsWith('epoch='));
    expect(lines.length).toBe(2);
    for (const l of lines) expect(l).toMatch(/^epoch=\d, train_loss=\d\.\d{4}, train_acc=\d\.\d{4}, test_loss=\d\.\d{4}, test_acc=\d\.\d{4}, max_test_acc=\d\.\d{4}, total_time=\d+\.\d$/);
    expect(text).toContain('Saving...');
    expect(text).toMatch(/ train epoch 0 +20\/20 +loss=/);
    expect(full.status).toBe('completed');
    expect(full.epochsCompleted).toBe(2);
    // 1000 images x 2 epochs of a small dense SNN reach 0.85 (seed 1); chance is 0.10
    expect(full.final!.test_acc).toBeGreaterThan(0.5);

    const dir = full.runDir;
    expect(path.dirname(dir)).toBe(path.join(runsDir, 'small'));
    expect(path.basename(dir)).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    const entries = readdirSync(dir).sort();
    expect(entries).toEqual(['best', 'curves.svg', 'experiment.json', 'ir.json', 'last', 'metrics.jsonl', 'run.json', 'spec.snn', 'summary.json']);
    for (const ck of ['best', 'last']) expect(readdirSync(path.join(dir, ck)).sort()).toEqual(['checkpoint.json', 'optimizer.bin', 'optimizer.json', 'weights.bin', 'weights.json']);
    expect(readFileSync(path.join(dir, 'spec.snn'), 'utf8')).toBe(SPEC);
    const exp = JSON.parse(readFileSync(path.join(dir, 'experiment.json'), 'utf8'));
    expect(exp.experiment.epochs).toBe(2);
    expect(JSON.parse(readFileSync(path.join(dir, 'ir.json'), 'utf8')).experiments[0].name).toBe('small');
    expect(readFileSync(path.join(dir, 'curves.svg'), 'utf8')).toMatch(/^<svg[\s\S]*accuracy[\s\S]*<\/svg>$/);

    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.status).toBe('completed');
    expect(summary.backend.name).toBe(backend);
    expect(summary.best!.test_acc).toBe(Math.max(...readMetrics(dir).map((m) => m.test_acc)));
    expect(summary.secondsPerEpoch).toBeGreaterThan(0);
    expect(summary.imagesPerSecond).toBeGreaterThan(0);
    expect(summary.peakMemory.rssBytes).toBeGreaterThan(0);
    expect(summary.peakMemory.tfBytes).toBeGreaterThan(0);
    expect(summary.seed).toBe(1);
    expect(summary.machine.cores).toBeGreaterThan(0);
    expect(summary.snncVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect([summary.trainSamples, summary.testSamples]).toEqual([1000, 200]);

    const metrics = readMetrics(dir);
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1]);
    // best/ holds the tfjs weights format: a manifest group and its binary
    const manifest = JSON.parse(readFileSync(path.join(dir, 'best', 'weights.json'), 'utf8'));
    expect(manifest[0].paths).toEqual(['weights.bin']);
    const decoded = tf.io.decodeWeights(new Uint8Array(bin(path.join(dir, 'best'))).buffer, manifest[0].weights);
    expect(decoded['dense_0/kernel']!.shape).toEqual([784, 32]);
    tf.dispose(decoded);
  });

  it('gives identical metrics for the same seed', async () => {
    const again = await runExperiment(options(small(), backend, runsDir, new Capture()));
    expect(again.runDir).not.toBe(full.runDir);
    expect(withoutTimes(readMetrics(again.runDir))).toEqual(withoutTimes(readMetrics(full.runDir)));
    expect(bin(path.join(again.runDir, 'last')).equals(bin(path.join(full.runDir, 'last')))).toBe(true);
  });

  it('resumes an interrupted run with the results of an uninterrupted one', async () => {
    const abort = new AbortController();
    const out = new Capture();
    // stop in the middle of epoch 1 (batch 4 of 20) once the progress line for it appears
    const watcher = new Writable({
      write(chunk, _enc, cb) {
        out.text += chunk.toString();
        if (/train epoch 1 +4\/20/.test(out.text)) abort.abort();
        cb();
      },
    });
    const cut = await runExperiment(options(small(), backend, runsDir, out, { out: watcher, signal: abort.signal }));
    expect(cut.status).toBe('interrupted');
    expect(out.text).toMatch(/interrupted at epoch 1, batch 4: saved .*last; continue with --resume /);
    expect(JSON.parse(readFileSync(path.join(cut.runDir, 'last', 'checkpoint.json'), 'utf8')).state.batch).toBe(4);

    const resumedOut = new Capture();
    const resumed = await runExperiment(options(small(), backend, runsDir, resumedOut, { resume: cut.runDir }));
    expect(resumed.status).toBe('completed');
    expect(resumed.runDir).toBe(cut.runDir);
    expect(resumed.resumedFrom).toEqual({ epoch: 1, batch: 4 });
    expect(resumedOut.text).toMatch(/resumed at epoch 1, batch 4/);
    expect(withoutTimes(readMetrics(cut.runDir))).toEqual(withoutTimes(readMetrics(full.runDir)));
    expect(bin(path.join(cut.runDir, 'last')).equals(bin(path.join(full.runDir, 'last')))).toBe(true);
    expect(bin(path.join(cut.runDir, 'best')).equals(bin(path.join(full.runDir, 'best')))).toBe(true);
  });

  it('evaluates a saved checkpoint to the accuracy it was saved with', async () => {
    const out = new Capture();
    const r = await evaluateCheckpoint({ experiment: small(), checkpoint: full.runDir, backend, testLimit: 200, out });
    expect(r.accuracy).toBeCloseTo(full.best!.test_acc, 10);
    expect(out.text).toMatch(/test_loss=\d\.\d{4}, test_acc=\d\.\d{4} \(200 samples\)/);
  });
});

describe('runExperiment failures', () => {
  it('stops with SNN7005 when the loss blows up, and keeps no epoch whose test loss overflowed as the best', async () => {
    // membrane outputs with an absurd learning rate: weights ~1e30 after the first update,
    // so the squared error overflows to Infinity in epoch 1 (epoch 0 is a single batch)
    const model = { ...mlpModel(16, 2), decoder: { kind: 'membrane' as const } };
    const exp = small({ model, epochs: 3, optimizer: { kind: 'sgd', lr: 1e30, momentum: 0, nesterov: false, weightDecay: 0 } });
    const out = new Capture();
    const runsDir = path.join(root, 'nan');
    let caught: unknown;
    try {
      await runExperiment(options(exp, 'cpu', runsDir, out, { overrides: { trainLimit: 50, testLimit: 50 } }));
    } catch (e) {
      caught = e;
    }
    expect(isSnncError(caught) && caught.code).toBe('SNN7005');
    const [id] = readdirSync(path.join(runsDir, 'small'));
    const dir = path.join(runsDir, 'small', id!);
    // epoch 0's test loss already overflowed (saved as null): not a best worth keeping
    expect(readMetrics(dir)[0]!.test_loss).toBeNull();
    expect(existsSync(path.join(dir, 'best'))).toBe(false);
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.status).toBe('failed');
    expect(summary.error!.code).toBe('SNN7005');
    expect(summary.best).toBeNull();
    expect(out.text).not.toContain('the best checkpoint is kept');
  });

  it('refuses to resume a run with a different experiment', async () => {
    const out = new Capture();
    const runsDir = path.join(root, 'mismatch');
    const first = await runExperiment(options(small({ epochs: 1 }), 'cpu', runsDir, out, { overrides: { trainLimit: 100, testLimit: 50 } }));
    try {
      await runExperiment(options(small({ batch: 25 }), 'cpu', runsDir, out, { resume: first.runDir }));
      expect.unreachable();
    } catch (e) {
      expect(isSnncError(e) && e.code).toBe('SNN7007');
      expect((e as Error).message).toMatch(/differs in batch/);
    }
  });

  it('refuses to resume from a folder that is not a run directory with SNN7012', async () => {
    const notRun = path.join(root, 'not-a-run');
    await expect(runExperiment(options(small(), 'cpu', root, new Capture(), { resume: notRun }))).rejects.toThrow(/is not a run directory/);
  });

  it('rejects bad overrides with SNN9003', async () => {
    await expect(runExperiment(options(small(), 'cpu', path.join(root, 'bad'), new Capture(), { overrides: { epochs: 0 } }))).rejects.toThrow(/--epochs must be a positive integer/);
  });
});

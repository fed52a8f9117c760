import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { formatDiagnostic, IR_VERSION, isSnncError, SnncError, throwIfInvalid, validateExperiment, type Experiment, type Program } from '@snnc/ir';
import { describeFsError } from '@snnc/ir/node';
import pc from 'picocolors';
import { buildNetwork } from '../../model/index.js';
import { formatActivityLine, formatEpochLine, Trainer, warningDiagnostic, type ActivitySummary, type ActivityWarning, type EpochMetrics } from '../../train/index.js';
import { loadBackend, type BackendRequest, type LoadedBackend } from '../backend/index.js';
import { disposeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { renderCurvesSvg } from './curves.js';
import { loadTrainingData } from './training-data.js';
import { writeFileSynced } from './fs-atomic.js';
import { applyOverrides, experimentDiff, type RunOverrides } from './overrides.js';
import { plainProgress, ttyProgress, type ProgressReporter } from './progress.js';
import { appendMetrics, createRunDir, readRunSpec, rewriteMetrics, runFiles, writeRunSpec, type RunRecord } from './run-dir.js';
import { machineInfo, MemoryPeaks, snncVersion, type MachineInfo } from './system.js';
import { planReplicas, startReplicas } from './parallel/index.js';

/** What `snnc run FILE [--experiment NAME]` passes in. */
export interface RunOptions {
  /** The compiled experiment, before overrides. */
  experiment: Experiment;
  /** The `.snn` file it came from; IDX data paths are resolved against its directory. */
  specFile: string;
  /** Its text, copied into the run directory as spec.snn. */
  specSource: string;
  /** The whole compiled program, saved as ir.json (default: a program of just this experiment). */
  program?: Program;
  /** Where run directories go (default `runs`, relative to the working directory). */
  runsDir?: string;
  backend: BackendRequest;
  overrides?: RunOverrides;
  /** A run directory to continue from its `last/` checkpoint. */
  resume?: string;
  out: NodeJS.WritableStream;
  /** Progress bars and colour when true (a terminal), plain periodic lines otherwise. */
  tty: boolean;
  /** Abort (Ctrl-C): the run stops between two batches, saves `last/` and returns. */
  signal?: AbortSignal;
  /**
   * Data-parallel replicas on the wasm backend (worker threads, this one included); default one
   * per core. Other backends, and runs that cannot split a batch, train on one (node/train/parallel).
   */
  workers?: number;
}

/** summary.json, also returned by runExperiment. */
export interface RunSummary {
  experiment: string;
  runDir: string;
  /** `completed`; `interrupted` (aborted, resumable); `failed` (e.g. NaN loss; best/ kept). */
  status: 'completed' | 'interrupted' | 'failed';
  error?: { code: string; message: string };
  epochs: number;
  epochsCompleted: number;
  final: Pick<EpochMetrics, 'train_loss' | 'train_acc' | 'test_loss' | 'test_acc'> | null;
  best: { epoch: number; test_acc: number; test_loss: number } | null;
  backend: LoadedBackend;
  /** Mean wall-clock seconds per epoch (train + test), over the epochs of this run. */
  secondsPerEpoch: number | null;
  /** Mean training throughput, images per second. */
  imagesPerSecond: number | null;
  peakMemory: { rssBytes: number; tfBytes: number; tfTensors: number };
  seed: number;
  trainSamples: number;
  testSamples: number;
  data: string;
  parameters: number;
  snncVersion: string;
  machine: MachineInfo;
  startedAt: string;
  finishedAt: string;
  /** Seconds this process ran (after a resume: only the resumed part). */
  wallSeconds: number;
  resumedFrom: { epoch: number; batch: number } | null;
  /** The last epoch's per-layer activity, SynOps, MACs and energy per test sample. */
  activity: ActivitySummary | null;
}

function countParameters(trainable: readonly tf.Variable[]): number {
  return trainable.reduce((a, v) => a + v.size, 0);
}

function describeOptimizer(e: Experiment): string {
  const o = e.optimizer;
  const wd = o.weightDecay ? `, weight_decay ${o.weightDecay}` : '';
  const extra = o.kind === 'sgd' ? `, momentum ${o.momentum}${o.nesterov ? ' nesterov' : ''}` : '';
  const sched = e.schedule.kind === 'cosine' ? `, cosine to ${e.schedule.minLr}` : '';
  return `${o.kind} lr ${o.lr}${extra}${wd}${sched}`;
}

/**
 * Trains one experiment into a new run directory (or continues one with `resume`), printing
 * the backend, progress, and the report's line per epoch; saves `best/` whenever test accuracy
 * improves ("Saving...") and `last/` every epoch and on abort. Throws SnncError for user-facing
 * failures (data, backend, NaN loss SNN7005 after writing summary.json).
 */
export async function runExperiment(opts: RunOptions): Promise<RunSummary> {
  const started = new Date();
  const t0 = performance.now();
  const out = opts.out;
  const c = opts.tty ? pc : pc.createColors(false);
  const overrides = opts.overrides ?? {};

  let experiment = applyOverrides(opts.experiment, overrides);
  let limits = { train: overrides.trainLimit, test: overrides.testLimit };
  let runDir: string | null = null;
  let resumeRecord: RunRecord | null = null;
  if (opts.resume !== undefined) {
    runDir = path.resolve(opts.resume);
    const stored = await readRunSpec(runDir);
    resumeRecord = stored.record;
    // the stored experiment is the truth; only more epochs may be asked for
    const wanted = { ...experiment, epochs: stored.experiment.epochs };
    const diff = experimentDiff(stored.experiment, wanted);
    if (opts.experiment.name !== stored.experiment.name || diff.length > 0) {
      throw new SnncError('SNN7007', {
        path: runDir,
        reason: `it was made by a different experiment (${opts.experiment.name !== stored.experiment.name ? `\`${stored.experiment.name}\`` : `differs in ${diff.slice(0, 4).join(', ')}`})`,
      }, { hint: 'resume with the same spec and options; only --epochs may grow' });
    }
    experiment = { ...stored.experiment, epochs: overrides.epochs ?? stored.experiment.epochs };
    limits = { train: stored.record.overrides.trainLimit, test: stored.record.overrides.testLimit };
  }

  // IR from a spec file or a stored run is checked like the compiler's output before any work.
  throwIfInvalid(validateExperiment(experiment));
  const loaded = await loadBackend(opts.backend);
  const plan = planReplicas(opts.workers, loaded, experiment);
  // The replica count is part of how the run was made (float rounding differs), so it is recorded.
  const backend: LoadedBackend = plan.replicas > 1 ? { ...loaded, detail: `${loaded.detail}, ${plan.replicas} data-parallel workers` } : loaded;
  out.write(`${c.bold('backend')}: ${backend.detail}${plan.reason !== undefined ? ` (one worker: ${plan.reason})` : ''}\n`);

  const dataDir = path.dirname(path.resolve(opts.specFile));
  const data = await loadTrainingData(experiment.data, dataDir, limits);
  const { train, test } = data;

  const replicas = await startReplicas(plan, loaded, experiment, train);
  const network = buildNetwork(experiment.model, { seed: experiment.seed });
  let trainer: Trainer;
  try {
    trainer = new Trainer({ experiment, network, train, test, ...(replicas !== undefined ? { replicas } : {}) });
  } catch (e) {
    network.dispose();
    await replicas?.close();
    throw e;
  }

  let resumedFrom: { epoch: number; batch: number } | null = null;
  try {
    if (runDir !== null) {
      const ckpt = await loadCheckpoint(runFiles(runDir).last);
      try {
        trainer.restore(ckpt.snapshot);
      } finally {
        disposeCheckpoint(ckpt);
      }
      resumedFrom = { epoch: ckpt.info.state.epoch, batch: ckpt.info.state.batch };
      if (opts.overrides?.epochs !== undefined) {
        await writeFileSynced(runFiles(runDir).experiment, JSON.stringify({ irVersion: IR_VERSION, experiment }, null, 1) + '\n').catch((e: unknown) => {
          throw unwritable(runDir!, e);
        });
      }
      await rewriteMetrics(runDir, trainer.history).catch((e: unknown) => {
        throw unwritable(runDir!, e);
      });
    } else {
      runDir = await createRunDir(path.resolve(opts.runsDir ?? 'runs'), experiment, started);
      const record: RunRecord = {
        format: 'snnc-run',
        version: 1,
        experiment: experiment.name,
        specFile: opts.specFile,
        overrides,
        backendRequest: opts.backend,
        createdAt: started.toISOString(),
      };
      await writeRunSpec(runDir, { specSource: opts.specSource, experiment, program: opts.program, record });
      await rewriteMetrics(runDir, []);
    }
  } catch (e) {
    trainer.dispose();
    network.dispose();
    await replicas?.close();
    throw e;
  }
  const dir = runDir;
  const files = runFiles(dir);
  const rel = path.relative(process.cwd(), dir) || '.';

  const params = countParameters(network.trainable);
  out.write(`${c.bold('run')}: ${rel}${resumedFrom ? ` (resumed at epoch ${resumedFrom.epoch}, batch ${resumedFrom.batch}${resumeRecord ? `, created ${resumeRecord.createdAt}` : ''})` : ''}\n`);
  out.write(`${c.bold('data')}: ${data.source}: ${train.count} training / ${test.count} test samples\n`);
  out.write(
    `${c.bold('model')}: ${experiment.model.name}, ${params.toLocaleString('en-US')} parameters, T=${experiment.model.steps}; ` +
      `${experiment.target} / ${experiment.loss}; ${describeOptimizer(experiment)}; batch ${experiment.batch} (${trainer.batchesPerEpoch} per epoch), ${experiment.epochs} epochs, seed ${experiment.seed}\n`,
  );

  const progress: ProgressReporter = opts.tty ? ttyProgress(out, true) : plainProgress(out);
  const peaks = new MemoryPeaks();
  peaks.sample();
  const meta = { experiment: experiment.name, backend: backend.name };

  const summarize = (status: RunSummary['status'], error?: SnncError): RunSummary => {
    const h = trainer.history;
    const ran = resumedFrom === null ? h : h.filter((m) => m.epoch >= resumedFrom!.epoch);
    // The epoch saved in best/: the last that improved (a test loss that overflowed never does).
    const best = h.filter((m) => m.improved).at(-1) ?? null;
    const last = h.at(-1);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const s: RunSummary = {
      experiment: experiment.name,
      runDir: dir,
      status,
      epochs: experiment.epochs,
      epochsCompleted: h.length,
      final: last ? { train_loss: last.train_loss, train_acc: last.train_acc, test_loss: last.test_loss, test_acc: last.test_acc } : null,
      best: best ? { epoch: best.epoch, test_acc: best.test_acc, test_loss: best.test_loss } : null,
      backend,
      secondsPerEpoch: mean(ran.map((m) => m.total_time)),
      imagesPerSecond: mean(ran.map((m) => m.images_per_s)),
      peakMemory: { rssBytes: peaks.maxRssBytes(), tfBytes: peaks.tfBytes, tfTensors: peaks.tfTensors },
      seed: experiment.seed,
      trainSamples: train.count,
      testSamples: test.count,
      data: data.source,
      parameters: params,
      snncVersion: snncVersion(),
      machine: machineInfo(),
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      wallSeconds: (performance.now() - t0) / 1000,
      resumedFrom,
      activity: last?.activity ?? null,
    };
    if (error) s.error = { code: error.code, message: error.message };
    return s;
  };
  const writeSummary = async (s: RunSummary) => writeFileSynced(files.summary, JSON.stringify(s, null, 1) + '\n');

  try {
    const outcome = await trainer.run({
      ...(opts.signal ? { signal: opts.signal } : {}),
      callbacks: {
        onPhase: (phase, epoch, batches, startBatch) => progress.phase(phase, epoch, batches, startBatch),
        onBatch: (p) => {
          peaks.sample(p.numBytes, p.numTensors);
          progress.batch(p);
        },
        onWarning: (w) => progress.line(formatWarning(w, opts)),
        onEpoch: async (m) => {
          progress.line(formatEpochLine(m));
          if (m.activity) progress.line(formatActivityLine(m.activity));
          await appendMetrics(dir, m);
          if (m.improved) {
            progress.line('Saving...');
            await saveCheckpoint(dir, 'best', trainer.snapshot(), meta);
          }
          await saveCheckpoint(dir, 'last', trainer.snapshot(), meta);
          await writeFileSynced(files.curves, await renderCurvesSvg(`${experiment.name}: ${experiment.model.name}`, trainer.history));
          await writeSummary(summarize(trainer.done ? 'completed' : 'interrupted'));
        },
      },
    });
    progress.stop();
    if (outcome.status === 'aborted') {
      await saveCheckpoint(dir, 'last', trainer.snapshot(), meta);
      const s = summarize('interrupted');
      await writeSummary(s);
      const snap = trainer.snapshot().state;
      out.write(`interrupted at epoch ${snap.epoch}, batch ${snap.batch}: saved ${path.join(rel, 'last')}; continue with --resume ${rel}\n`);
      return s;
    }
    const s = summarize('completed');
    await writeSummary(s);
    if (s.best) out.write(`best test_acc=${s.best.test_acc.toFixed(4)} at epoch ${s.best.epoch}; run directory ${rel}\n`);
    return s;
  } catch (e) {
    progress.stop();
    if (isSnncError(e)) {
      const s = summarize('failed', e);
      // An unwritable run directory already failed once; the original error says why.
      await writeSummary(s).catch(() => undefined);
      if (e.code === 'SNN7005') {
        out.write(s.best ? `the best checkpoint is kept in ${path.join(rel, 'best')} (epoch ${s.best.epoch}, test_acc=${s.best.test_acc.toFixed(4)})\n` : 'no checkpoint was saved: the loss stopped being finite before the first epoch ended\n');
      }
    }
    throw e;
  } finally {
    trainer.dispose();
    network.dispose();
    await replicas?.close();
  }
}

/** A failed write into a run directory (read-only, full, a directory where a file belongs) as SNN7011. */
function unwritable(dir: string, e: unknown): SnncError {
  return new SnncError('SNN7011', { path: dir, reason: describeFsError(e) }, { cause: e, hint: 'resume needs to write its checkpoints and metrics there; copy the run directory somewhere writable' });
}

/** A silent/saturated-layer warning, located in the spec when the layer's range is in it. */
function formatWarning(w: ActivityWarning, opts: Pick<RunOptions, 'specFile' | 'specSource' | 'tty'>): string {
  const d = warningDiagnostic(w);
  if (d === null) return `warning ${w.code}: ${w.message}\n  hint: ${w.hint}`;
  const source = path.resolve(d.range.file) === path.resolve(opts.specFile) ? opts.specSource : undefined;
  return formatDiagnostic(d, source, { color: opts.tty });
}

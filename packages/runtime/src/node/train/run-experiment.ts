import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { formatDiagnostic, IR_VERSION, isSnncError, SnncError, throwIfInvalid, validateExperiment, type Experiment, type Program } from '@snnc/ir';
import { describeFsError, machineInfo, snncVersion, type MachineInfo } from '@snnc/ir/node';
import pc from 'picocolors';
import { buildNetwork } from '../../model/index.js';
import { loadWeightsFile } from './safetensors-file.js';
import { formatActivityLine, formatEpochLine, Trainer, warningDiagnostic, type ActivitySummary, type ActivityWarning, type EpochMetrics } from '../../train/index.js';
import { loadBackend, type BackendRequest, type LoadedBackend } from '../backend/index.js';
import { disposeCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { renderCurvesSvg } from './curves.js';
import { loadTrainingData } from './training-data.js';
import { writeFileSynced } from './fs-atomic.js';
import { applyOverrides, experimentDiff, type RunOverrides } from './overrides.js';
import { plainProgress, ttyProgress, type ProgressReporter } from './progress.js';
import { appendMetrics, createRunDir, readRunSpec, rewriteMetrics, runFiles, writeRunSpec, type RunStart } from './run-dir.js';
import { MemoryPeaks } from './system.js';
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
  /**
   * A `.safetensors` weights file to start from instead of the seeded initialisation (an
   * imported NIR model, fine-tuned); not with `resume`.
   */
  initialWeights?: string;
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
  const c = opts.tty ? pc : pc.createColors(false);
  const { experiment, limits, resume } = await resolveRun(opts);

  // IR from a spec file or a stored run is checked like the compiler's output before any work.
  throwIfInvalid(validateExperiment(experiment));
  const loaded = await loadBackend(opts.backend);
  // Replicas draw their own initial weights, so a run from a weights file trains on one.
  const plan = planReplicas(opts.initialWeights !== undefined ? 1 : opts.workers, loaded, experiment);
  // The replica count is part of how the run was made (float rounding differs), so it is recorded.
  const backend: LoadedBackend = plan.replicas > 1 ? { ...loaded, detail: `${loaded.detail}, ${plan.replicas} data-parallel workers` } : loaded;
  opts.out.write(`${c.bold('backend')}: ${backend.detail}${plan.reason !== undefined ? ` (one worker: ${plan.reason})` : ''}\n`);

  const data = await loadTrainingData(experiment.data, path.dirname(path.resolve(opts.specFile)), limits);
  const replicas = await startReplicas(plan, loaded, experiment, data.train);
  const network = buildNetwork(experiment.model, { seed: experiment.seed });
  if (opts.initialWeights !== undefined && resume === null) {
    const weights = loadWeightsFile(opts.initialWeights);
    try {
      network.loadWeights(weights);
    } catch (e) {
      network.dispose();
      await replicas?.close();
      throw e;
    } finally {
      for (const t of Object.values(weights)) t.dispose();
    }
  }
  let trainer: Trainer;
  let placed: { dir: string; resumedFrom: ResumePoint | null };
  try {
    trainer = new Trainer({ experiment, network, train: data.train, test: data.test, ...(replicas !== undefined ? { replicas } : {}) });
  } catch (e) {
    network.dispose();
    await replicas?.close();
    throw e;
  }
  try {
    placed = await openRunDir(opts, experiment, trainer, resume?.dir ?? null, started);
  } catch (e) {
    trainer.dispose();
    network.dispose();
    await replicas?.close();
    throw e;
  }
  const run: RunContext = { opts, experiment, trainer, backend, data, started, t0, dir: placed.dir, resumedFrom: placed.resumedFrom, params: countParameters(network.trainable), peaks: new MemoryPeaks() };
  printHeader(run, resume?.record ?? null, c);
  try {
    return await train(run);
  } finally {
    trainer.dispose();
    network.dispose();
    await replicas?.close();
  }
}

type ResumePoint = { epoch: number; batch: number };

/** Everything the steps of a run after setup share. */
interface RunContext {
  opts: RunOptions;
  experiment: Experiment;
  trainer: Trainer;
  backend: LoadedBackend;
  data: Awaited<ReturnType<typeof loadTrainingData>>;
  started: Date;
  /** performance.now() at the start, ms. */
  t0: number;
  dir: string;
  resumedFrom: ResumePoint | null;
  params: number;
  peaks: MemoryPeaks;
}

/**
 * The experiment to train and its data limits: the options' with overrides applied, or with
 * `resume`, the stored run's (only more epochs may be asked for; SNN7007 otherwise).
 */
async function resolveRun(opts: RunOptions): Promise<{ experiment: Experiment; limits: { train?: number; test?: number }; resume: { dir: string; record: RunStart } | null }> {
  const overrides = opts.overrides ?? {};
  const experiment = applyOverrides(opts.experiment, overrides);
  if (opts.resume === undefined) return { experiment, limits: { train: overrides.trainLimit, test: overrides.testLimit }, resume: null };
  const dir = path.resolve(opts.resume);
  const stored = await readRunSpec(dir);
  // the stored experiment is the truth; only more epochs may be asked for
  const wanted = { ...experiment, epochs: stored.experiment.epochs };
  const diff = experimentDiff(stored.experiment, wanted);
  if (opts.experiment.name !== stored.experiment.name || diff.length > 0) {
    throw new SnncError('SNN7007', {
      path: dir,
      reason: `it was made by a different experiment (${opts.experiment.name !== stored.experiment.name ? `\`${stored.experiment.name}\`` : `differs in ${diff.slice(0, 4).join(', ')}`})`,
    }, { hint: 'resume with the same spec and options; only --epochs may grow' });
  }
  return {
    experiment: { ...stored.experiment, epochs: overrides.epochs ?? stored.experiment.epochs },
    limits: { train: stored.record.overrides.trainLimit, test: stored.record.overrides.testLimit },
    resume: { dir, record: stored.record },
  };
}

/**
 * A resumed run: restores the trainer from `last/` and rewrites metrics.jsonl to its history
 * (and experiment.json when --epochs grew). A new run: creates the directory and its spec files.
 */
async function openRunDir(opts: RunOptions, experiment: Experiment, trainer: Trainer, resumeDir: string | null, started: Date): Promise<{ dir: string; resumedFrom: ResumePoint | null }> {
  if (resumeDir === null) {
    const dir = await createRunDir(path.resolve(opts.runsDir ?? 'runs'), experiment, started);
    const record: RunStart = {
      format: 'snnc-run',
      version: 1,
      experiment: experiment.name,
      specFile: opts.specFile,
      overrides: opts.overrides ?? {},
      backendRequest: opts.backend,
      createdAt: started.toISOString(),
    };
    await writeRunSpec(dir, { specSource: opts.specSource, experiment, program: opts.program, record });
    await rewriteMetrics(dir, []);
    return { dir, resumedFrom: null };
  }
  const ckpt = await loadCheckpoint(runFiles(resumeDir).last);
  try {
    trainer.restore(ckpt.snapshot);
  } finally {
    disposeCheckpoint(ckpt);
  }
  if (opts.overrides?.epochs !== undefined) {
    await writeFileSynced(runFiles(resumeDir).experiment, JSON.stringify({ irVersion: IR_VERSION, experiment }, null, 1) + '\n').catch((e: unknown) => {
      throw unwritable(resumeDir, e);
    });
  }
  await rewriteMetrics(resumeDir, trainer.history).catch((e: unknown) => {
    throw unwritable(resumeDir, e);
  });
  return { dir: resumeDir, resumedFrom: { epoch: ckpt.info.state.epoch, batch: ckpt.info.state.batch } };
}

/** The `run:`, `data:` and `model:` lines. */
function printHeader(run: RunContext, resumeRecord: RunStart | null, c: ReturnType<typeof pc.createColors>): void {
  const { experiment: e, resumedFrom: r, data } = run;
  const out = run.opts.out;
  out.write(`${c.bold('run')}: ${relDir(run)}${r ? ` (resumed at epoch ${r.epoch}, batch ${r.batch}${resumeRecord ? `, created ${resumeRecord.createdAt}` : ''})` : ''}\n`);
  out.write(`${c.bold('data')}: ${data.source}: ${data.train.count} training / ${data.test.count} test samples\n`);
  out.write(
    `${c.bold('model')}: ${e.model.name}, ${run.params.toLocaleString('en-US')} parameters, T=${e.model.steps}; ` +
      `${e.target} / ${e.loss}; ${describeOptimizer(e)}; batch ${e.batch} (${run.trainer.batchesPerEpoch} per epoch), ${e.epochs} epochs, seed ${e.seed}\n`,
  );
}

/** The run directory as printed: relative to the working directory. */
const relDir = (run: RunContext): string => path.relative(process.cwd(), run.dir) || '.';

/** summary.json from the trainer's history so far. */
function summarize(run: RunContext, status: RunSummary['status'], error?: SnncError): RunSummary {
  const { experiment, trainer, resumedFrom, peaks, data } = run;
  const h = trainer.history;
  const ran = resumedFrom === null ? h : h.filter((m) => m.epoch >= resumedFrom.epoch);
  // The epoch saved in best/: the last that improved (a test loss that overflowed never does).
  const best = h.filter((m) => m.improved).at(-1) ?? null;
  const last = h.at(-1);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const s: RunSummary = {
    experiment: experiment.name,
    runDir: run.dir,
    status,
    epochs: experiment.epochs,
    epochsCompleted: h.length,
    final: last ? { train_loss: last.train_loss, train_acc: last.train_acc, test_loss: last.test_loss, test_acc: last.test_acc } : null,
    best: best ? { epoch: best.epoch, test_acc: best.test_acc, test_loss: best.test_loss } : null,
    backend: run.backend,
    secondsPerEpoch: mean(ran.map((m) => m.total_time)),
    imagesPerSecond: mean(ran.map((m) => m.images_per_s)),
    peakMemory: { rssBytes: peaks.maxRssBytes(), tfBytes: peaks.tfBytes, tfTensors: peaks.tfTensors },
    seed: experiment.seed,
    trainSamples: data.train.count,
    testSamples: data.test.count,
    data: data.source,
    parameters: run.params,
    snncVersion: snncVersion(),
    machine: machineInfo(),
    startedAt: run.started.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds: (performance.now() - run.t0) / 1000,
    resumedFrom,
    activity: last?.activity ?? null,
  };
  if (error) s.error = { code: error.code, message: error.message };
  return s;
}

const writeSummary = async (run: RunContext, s: RunSummary) => writeFileSynced(runFiles(run.dir).summary, JSON.stringify(s, null, 1) + '\n');

/**
 * Runs the trainer with progress, per-epoch files (metrics line, `best/` on improvement,
 * `last/`, curves, summary) and the ending: `last/` and a resume hint when aborted, the best
 * epoch when completed, summary.json `failed` on a user-facing error.
 */
async function train(run: RunContext): Promise<RunSummary> {
  const { opts, experiment, trainer, dir, peaks } = run;
  const files = runFiles(dir);
  const rel = relDir(run);
  const progress: ProgressReporter = opts.tty ? ttyProgress(opts.out, true) : plainProgress(opts.out);
  peaks.sample();
  const meta = { experiment: experiment.name, backend: run.backend.name };
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
          await writeSummary(run, summarize(run, trainer.done ? 'completed' : 'interrupted'));
        },
      },
    });
    progress.stop();
    if (outcome.status === 'aborted') {
      await saveCheckpoint(dir, 'last', trainer.snapshot(), meta);
      const s = summarize(run, 'interrupted');
      await writeSummary(run, s);
      const snap = trainer.snapshot().state;
      opts.out.write(`interrupted at epoch ${snap.epoch}, batch ${snap.batch}: saved ${path.join(rel, 'last')}; continue with --resume ${rel}\n`);
      return s;
    }
    const s = summarize(run, 'completed');
    await writeSummary(run, s);
    if (s.best) opts.out.write(`best test_acc=${s.best.test_acc.toFixed(4)} at epoch ${s.best.epoch}; run directory ${rel}\n`);
    return s;
  } catch (thrown) {
    progress.stop();
    // A write that failed mid-run (metrics, summary, curves: a full disk, a read-only folder) is SNN7011, not a stack trace.
    const e = isFsError(thrown) ? unwritable(dir, thrown) : thrown;
    if (isSnncError(e)) {
      const s = summarize(run, 'failed', e);
      // An unwritable run directory already failed once; the original error says why.
      await writeSummary(run, s).catch(() => undefined);
      if (e.code === 'SNN7005') {
        opts.out.write(s.best ? `the best checkpoint is kept in ${path.join(rel, 'best')} (epoch ${s.best.epoch}, test_acc=${s.best.test_acc.toFixed(4)})\n` : 'no checkpoint was saved: the loss stopped being finite before the first epoch ended\n');
      }
    }
    throw e;
  }
}

/** A failed write into a run directory (read-only, full, a directory where a file belongs) as SNN7011. */
function unwritable(dir: string, e: unknown): SnncError {
  return new SnncError('SNN7011', { path: dir, reason: describeFsError(e) }, { cause: e, hint: 'a run writes its metrics, checkpoints and summary there; use a writable folder (copy a run directory before resuming it)' });
}

/** An error from a file system call (it names its syscall), as opposed to a bug. */
function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** A silent/saturated-layer warning, located in the spec when the layer's range is in it. */
function formatWarning(w: ActivityWarning, opts: Pick<RunOptions, 'specFile' | 'specSource' | 'tty'>): string {
  const d = warningDiagnostic(w);
  if (d === null) return `warning ${w.code}: ${w.message}\n  hint: ${w.hint}`;
  const source = path.resolve(d.range.file) === path.resolve(opts.specFile) ? opts.specSource : undefined;
  return formatDiagnostic(d, source, { color: opts.tty });
}

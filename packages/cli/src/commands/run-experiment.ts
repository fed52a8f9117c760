import path from 'node:path';
import type { Experiment } from '@snnc/ir';
import { evaluateCheckpoint, runExperiment, type BackendRequest } from '@snnc/runtime/node';
import type { Io } from '../io.js';
import { interruptible, overridesOf, type QuickRunFlags } from '../quick-run.js';
import type { LoadedSource } from '../source.js';

export interface ExperimentRunFlags extends QuickRunFlags {
  runsDir: string;
  resume?: string;
  /** wasm: data-parallel worker threads (default one per core). */
  workers?: number;
}

/**
 * Trains one experiment. Ctrl-C asks the trainer to stop: it writes a `last` checkpoint and
 * returns; a second Ctrl-C exits at once.
 */
export async function runExperimentCommand(experiment: Experiment, loaded: LoadedSource, flags: ExperimentRunFlags, io: Io): Promise<number> {
  const interrupt = interruptible(io, 'saving a checkpoint');
  try {
    await runExperiment({
      experiment,
      ...(loaded.result?.ir !== undefined ? { program: loaded.result.ir } : {}),
      specFile: path.resolve(io.cwd, loaded.file),
      specSource: loaded.text ?? '',
      runsDir: path.resolve(io.cwd, flags.runsDir),
      backend: flags.backend,
      overrides: overridesOf(flags),
      ...(flags.resume !== undefined ? { resume: path.resolve(io.cwd, flags.resume) } : {}),
      ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
      out: io.stdout,
      tty: Boolean(io.stdout.isTTY),
      signal: interrupt.signal,
    });
    return interrupt.signal.aborted ? 130 : 0;
  } finally {
    interrupt.dispose();
  }
}

export async function evalCommand(
  experiment: Experiment,
  flags: { file: string; checkpoint: string; backend: BackendRequest; testLimit?: number; activity?: boolean },
  io: Io,
): Promise<number> {
  // evaluateCheckpoint prints the `test_loss=..., test_acc=...` line itself.
  await evaluateCheckpoint({
    experiment,
    checkpoint: path.resolve(io.cwd, flags.checkpoint),
    backend: flags.backend,
    specFile: path.resolve(io.cwd, flags.file),
    ...(flags.testLimit !== undefined ? { testLimit: flags.testLimit } : {}),
    ...(flags.activity ? { activity: true } : {}),
    out: io.stdout,
    tty: Boolean(io.stdout.isTTY),
  });
  return 0;
}

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
  // A model imported from NIR starts from the weights file its .snn names.
  let initialWeights: string | undefined;
  if (flags.resume === undefined) {
    const { declaredWeightsOf } = await import('../declared-weights.js');
    const declared = declaredWeightsOf(experiment.model, loaded.sources, io.cwd);
    if (declared && 'error' in declared) {
      io.stderr.write(`error: ${declared.error}\n`);
      return 1;
    }
    if (declared) {
      initialWeights = declared.path;
      io.stderr.write(`weights: ${declared.name} (named by ${declared.file})\n`);
    }
  }
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
      ...(initialWeights !== undefined ? { initialWeights } : {}),
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
  flags: { file: string; checkpoint?: string; backend: BackendRequest; testLimit?: number; activity?: boolean },
  io: Io,
  sources: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  let checkpoint = flags.checkpoint === undefined ? undefined : path.resolve(io.cwd, flags.checkpoint);
  if (checkpoint === undefined) {
    // A model imported from NIR is evaluated with the weights file its .snn names.
    const { declaredWeightsOf } = await import('../declared-weights.js');
    const declared = declaredWeightsOf(experiment.model, sources, io.cwd);
    if (declared === undefined || 'error' in declared) {
      io.stderr.write(`error: ${declared ? declared.error : `snnc eval needs --checkpoint (model \`${experiment.model.name}\` names no weights file)`}\n`);
      return declared ? 1 : 2;
    }
    checkpoint = declared.path;
    io.stderr.write(`weights: ${declared.name} (named by ${declared.file})\n`);
  }
  // evaluateCheckpoint prints the `test_loss=..., test_acc=...` line itself.
  await evaluateCheckpoint({
    experiment,
    checkpoint,
    backend: flags.backend,
    specFile: path.resolve(io.cwd, flags.file),
    ...(flags.testLimit !== undefined ? { testLimit: flags.testLimit } : {}),
    ...(flags.activity ? { activity: true } : {}),
    out: io.stdout,
    tty: Boolean(io.stdout.isTTY),
  });
  return 0;
}

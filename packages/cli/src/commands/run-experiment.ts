import path from 'node:path';
import type { Experiment } from '@snnc/ir';
import { evaluateCheckpoint, runExperiment, type BackendRequest } from '@snnc/runtime/node';
import type { Io } from '../io.js';
import type { LoadedSource } from '../source.js';

export interface ExperimentRunFlags {
  backend: BackendRequest;
  epochs?: number;
  trainLimit?: number;
  testLimit?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  runsDir: string;
  resume?: string;
}

/**
 * Trains one experiment. Ctrl-C asks the trainer to stop: it writes a `last` checkpoint and
 * returns; a second Ctrl-C exits at once.
 */
export async function runExperimentCommand(experiment: Experiment, loaded: LoadedSource, flags: ExperimentRunFlags, io: Io): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr.write('\ninterrupted: saving a checkpoint (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const overrides: Record<string, number> = {};
    for (const k of ['epochs', 'trainLimit', 'testLimit', 'batch', 'lr', 'seed'] as const) {
      const v = flags[k];
      if (v !== undefined) overrides[k] = v;
    }
    await runExperiment({
      experiment,
      specFile: loaded.file,
      specSource: loaded.text ?? '',
      runsDir: path.resolve(io.cwd, flags.runsDir),
      backend: flags.backend,
      overrides,
      ...(flags.resume !== undefined ? { resume: path.resolve(io.cwd, flags.resume) } : {}),
      out: io.stdout,
      tty: Boolean(io.stdout.isTTY),
      signal: controller.signal,
    });
    return controller.signal.aborted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function evalCommand(
  experiment: Experiment,
  flags: { file: string; checkpoint: string; backend: BackendRequest; testLimit?: number },
  io: Io,
): Promise<number> {
  const r = await evaluateCheckpoint({
    experiment,
    checkpoint: path.resolve(io.cwd, flags.checkpoint),
    backend: flags.backend,
    ...(flags.testLimit !== undefined ? { testLimit: flags.testLimit } : {}),
    out: io.stdout,
  });
  io.stdout.write(`test_loss=${r.loss.toFixed(4)}, test_acc=${r.accuracy.toFixed(4)}\n`);
  return 0;
}

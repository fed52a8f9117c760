import type { Command } from 'commander';
import { Option } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { experimentMemoryDiagnostic, networkMemoryDiagnostic } from '@snnc/dsl';
import { applyOverrides, hasErrors, isSnncError, makeDiagnostic, syntheticRange, type Diagnostic, type Experiment, type Network } from '@snnc/ir';
import { BACKEND_REQUESTS, type BackendRequest } from '@snnc/experiments';
import { printDiagnostics, type Io } from '../io.js';
import { RUN_FILES, snncVersion } from '@snnc/ir/node';
import { positiveInt, positiveNumber } from '../options.js';
import { addQuickRunOptions } from '../quick-run.js';
import { selectRunnable, type Runnable } from '../select.js';
import { loadAndCompile, locateQuotedPath, type LoadedSource } from '../source.js';
// The runtimes (tfjs, NEF, plots) load inside the actions, so `snnc check` never pays for them.
import type { NetworkRunFlags } from './run-network.js';
import type { ExperimentRunFlags } from './run-experiment.js';


interface RunFlags extends ExperimentRunFlags, NetworkRunFlags {
  experiment?: string;
  network?: string;
  replay?: string;
}

/** Registers `snnc run` (experiments and NEF networks) and `snnc eval`. */
export function registerRunCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const run = program
    .command('run')
    .description('train an experiment, or build and simulate a NEF network, from a .snn file')
    .argument('[file]', '.snn file (not with --replay)')
    .option('-e, --experiment <name>', 'the experiment to run (when the file has several)')
    .option('-n, --network <name>', 'the network to run (when the file has several)');
  addQuickRunOptions(run)
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--resume <run-dir>', 'continue an interrupted run from its last checkpoint (no FILE needed: the run directory holds the spec), or train a finished one further with --epochs')
    .option('--workers <n>', 'wasm backend: train data-parallel on N worker threads (default: one per core; 1 = this thread only)', positiveInt)
    .option('--replay <run-dir>', 're-run a recorded run (same resolved spec, seed, limits, backend) and compare the numbers')
    .option('--probes <file.csv>', 'NEF: write every probe to a CSV file')
    .option('--plot <file.svg|png>', 'NEF: write a figure of inputs and probes over time')
    .option('--time <seconds>', 'NEF: override the simulated time', positiveNumber)
    .action(async (file: string | undefined, flags: RunFlags) => {
      if (flags.replay !== undefined) {
        if (file !== undefined) return setExit(usage(io, '--replay takes no FILE: the run directory holds the spec'));
        return setExit(await replayCommand(flags.replay, flags.backend === 'auto' ? undefined : flags.backend, io));
      }
      if (file === undefined) {
        if (flags.resume !== undefined) return setExit(await resumeWithoutFile({ ...flags, resume: flags.resume }, io));
        return setExit(usage(io, "missing required argument 'file' (or --resume RUN_DIR, --replay RUN_DIR)"));
      }
      setExit(await runCommand(file, flags, io));
    });

  program
    .command('eval')
    .description("report test loss and accuracy of a saved checkpoint on an experiment's test set")
    .argument('<file>', '.snn file')
    .option('--checkpoint <dir>', 'checkpoint directory (a run directory, or its best/ or last/), or a .safetensors weights file (default: the weights file an imported model names)')
    .option('-e, --experiment <name>', 'the experiment whose model and data to use')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(BACKEND_REQUESTS).default('auto'))
    .option('--test-limit <n>', 'evaluate on the first N test images only', positiveInt)
    .option('--activity', 'also print per-layer firing rates, SynOps, MACs and the energy estimate (docs/energy.md)')
    .action(async (file: string, flags: { checkpoint?: string; experiment?: string; backend: BackendRequest; testLimit?: number; activity?: boolean }) => {
      setExit(await withSource(file, io, async (loaded) => {
        const program = loaded.result!.ir!;
        const picked = selectRunnable(program, { experiment: flags.experiment ?? (program.experiments.length === 1 ? program.experiments[0]!.name : undefined) });
        if ('error' in picked || picked.runnable.kind !== 'experiment') {
          return fail(io, file, 'error' in picked ? picked.error : 'snnc eval needs an experiment');
        }
        const { evalCommand } = await import('./run-experiment.js');
        return evalCommand(picked.runnable.experiment, { ...flags, file }, io, loaded.sources);
      }));
    });
}

async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  return withSource(file, io, async (loaded) => {
    const program = loaded.result!.ir!;
    const picked = selectRunnable(program, { experiment: flags.experiment, network: flags.network });
    if ('error' in picked) return fail(io, file, picked.error);
    const r = picked.runnable;
    // --batch and --time change what the check-time memory estimate saw: estimate again.
    const memory = memoryAfterFlags(r, flags);
    if (memory !== undefined) {
      printDiagnostics(io, [memory], (f) => loaded.sources.get(f));
      if (memory.severity === 'error') return 1;
    }
    switch (r.kind) {
      case 'experiment': {
        const { runExperimentCommand } = await import('./run-experiment.js');
        return runExperimentCommand(r.experiment satisfies Experiment, loaded, flags, io);
      }
      case 'network': {
        warnTrainingFlags(io, r.network.name, flags);
        const { runNetworkCommand } = await import('./run-network.js');
        return runNetworkCommand(r.network satisfies Network, loaded, flags, io);
      }
    }
  });
}

/** The memory estimate of what will run when a flag changed its size since the check (else undefined). */
function memoryAfterFlags(r: Runnable, flags: RunFlags): Diagnostic | undefined {
  if (r.kind === 'experiment') return flags.batch === undefined ? undefined : experimentMemoryDiagnostic(applyOverrides(r.experiment, { batch: flags.batch }), os.totalmem());
  return flags.time === undefined ? undefined : networkMemoryDiagnostic({ ...r.network, runTime: flags.time }, os.totalmem());
}

/** Flags that only training reads, by their command-line names. */
const TRAINING_FLAGS = [
  ['epochs', '--epochs'],
  ['trainLimit', '--train-limit'],
  ['testLimit', '--test-limit'],
  ['batch', '--batch'],
  ['lr', '--lr'],
  ['resume', '--resume'],
  ['workers', '--workers'],
] as const;

/** A NEF network does not train: say so instead of silently ignoring the training flags. */
function warnTrainingFlags(io: Io, network: string, flags: RunFlags): void {
  const given: string[] = TRAINING_FLAGS.filter(([k]) => flags[k] !== undefined).map(([, f]) => f);
  if (flags.backend !== 'auto') given.push('--backend');
  if (given.length === 0) return;
  io.stderr.write(`warning: ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} for training experiments; network \`${network}\` is simulated without ${given.length === 1 ? 'it' : 'them'}\n`);
}

/**
 * Compiles FILE and hands its IR to `body`; compile errors and SnncErrors from the runtimes
 * are printed as diagnostics with exit code 1, never as stack traces.
 */
async function withSource(file: string, io: Io, body: (loaded: LoadedSource) => Promise<number>): Promise<number> {
  const loaded = loadAndCompile(file, io.cwd);
  printDiagnostics(io, loaded.diagnostics, (f) => loaded.sources.get(f));
  if (loaded.result?.ir === undefined || hasErrors(loaded.diagnostics)) return 1;
  try {
    return await body(loaded);
  } catch (e) {
    if (isSnncError(e)) {
      // A runtime failure without a source range: a data file's error points at the string
      // that names it; anything else (a missing checkpoint) gets no code frame.
      const d = e.toDiagnostic(file);
      const at = e.range === undefined ? locateQuotedPath(loaded, e.message, io.cwd) : undefined;
      if (at !== undefined) d.range = at;
      printDiagnostics(io, [d], (f) => (e.range === undefined && at === undefined ? undefined : loaded.sources.get(f)));
      return 1;
    }
    throw e;
  }
}

/** `snnc run --resume RUN_DIR`: the run directory holds the spec, so no FILE is needed. */
async function resumeWithoutFile(flags: RunFlags & { resume: string }, io: Io): Promise<number> {
  try {
    const { resumeCommand } = await import('./resume.js');
    return await resumeCommand(flags, io);
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic(flags.resume)], () => undefined);
      return 1;
    }
    throw e;
  }
}

function usage(io: Io, message: string): number {
  io.stderr.write(`error: ${message}\n(run \`snnc help run\` for usage)\n`);
  return 2;
}

/** `snnc run --replay RUN_DIR`: trains the recorded run again and says whether every number matched. */
async function replayCommand(runDir: string, backend: BackendRequest | undefined, io: Io): Promise<number> {
  try {
    const { replayRun } = await import('@snnc/experiments/node');
    const r = await replayRun(path.resolve(io.cwd, runDir), { snncVersion: snncVersion(), ...(backend !== undefined ? { backend } : {}) });
    const where = path.relative(io.cwd, r.runDir);
    if (r.record.status !== 'ok') {
      // The replay itself failed: its reason, not a list of epochs that are missing because of it.
      const err = r.record.error;
      const why = err === undefined ? 'unknown error' : err.code === undefined || err.message.startsWith(err.code) ? err.message : `${err.code}: ${err.message}`;
      io.stderr.write(`error: the replay of ${runDir} failed: ${why} (its log: ${path.join(where, RUN_FILES.log)})\n`);
      return 1;
    }
    const { specMismatch } = await import('../replay-spec.js');
    const spec = specMismatch(path.resolve(io.cwd, runDir), r.original);
    if (spec !== undefined) r.comparison = { equal: false, differences: [spec, ...r.comparison.differences] };
    if (r.comparison.equal) {
      io.stdout.write(`replay matches ${runDir}: every recorded number is identical (replay in ${path.relative(io.cwd, r.runDir)})\n`);
      return 0;
    }
    io.stdout.write(`replay differs from ${runDir} (replay in ${path.relative(io.cwd, r.runDir)}):\n${r.comparison.differences.map((d) => `  ${d}`).join('\n')}\n`);
    return 1;
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic(runDir)], () => undefined);
      return 1;
    }
    throw e;
  }
}

function fail(io: Io, file: string, message: string): number {
  printDiagnostics(io, [makeDiagnostic('SNN9002', syntheticRange(file), { message })], () => undefined);
  return 1;
}

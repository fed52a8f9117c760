import path from 'node:path';
import { readRegularFile } from '@snnc/ir/node';
import { BACKEND_REQUESTS, type BackendRequest } from '@snnc/experiments';
import { readRunSpec, runExperiment, runFiles } from '@snnc/runtime/node';
import type { Io } from '../io.js';
import { interruptible, type QuickRunFlags } from '../quick-run.js';

export interface ResumeFlags extends QuickRunFlags {
  resume: string;
  workers?: number;
}

/** Overrides a resumed run cannot take: the run directory fixes them. */
const FIXED = [
  ['batch', '--batch'],
  ['lr', '--lr'],
  ['seed', '--seed'],
  ['trainLimit', '--train-limit'],
  ['testLimit', '--test-limit'],
] as const;

/** What summary.json says about how far the run got (absent fields: not known). */
function readProgress(dir: string): { status?: string; epochsCompleted?: number; bestAcc?: number } {
  const r = readRegularFile(runFiles(dir).summary, 'json');
  if (!r.ok) return {};
  try {
    const s = JSON.parse(r.bytes.toString('utf8')) as { status?: unknown; epochsCompleted?: unknown; best?: { test_acc?: unknown } | null };
    return {
      ...(typeof s.status === 'string' ? { status: s.status } : {}),
      ...(typeof s.epochsCompleted === 'number' ? { epochsCompleted: s.epochsCompleted } : {}),
      ...(typeof s.best?.test_acc === 'number' ? { bestAcc: s.best.test_acc } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * `snnc run --resume RUN_DIR` without a FILE: the run directory holds the experiment
 * (experiment.json), how it was started (run.json) and its spec text. An interrupted run
 * continues from `last/`; a finished one is extended when `--epochs` asks for more than it
 * has, and otherwise says it has finished (exit 0). Resolves to the exit code; SnncErrors
 * propagate to the caller's diagnostics.
 */
export async function resumeCommand(flags: ResumeFlags, io: Io): Promise<number> {
  const fixed = FIXED.filter(([k]) => flags[k] !== undefined).map(([, flag]) => flag);
  if (fixed.length > 0) {
    io.stderr.write(`error: ${fixed.join(', ')} cannot change a run being resumed; only --epochs can (to train longer)\n`);
    return 2;
  }
  const dir = path.resolve(io.cwd, flags.resume);
  const shown = path.relative(io.cwd, dir) || '.';
  const stored = await readRunSpec(dir);
  const done = readProgress(dir);
  const epochs = stored.experiment.epochs;
  if (done.status === 'completed' && (flags.epochs === undefined || flags.epochs <= epochs)) {
    const best = done.bestAcc !== undefined ? `, best test_acc=${done.bestAcc.toFixed(4)}` : '';
    io.stdout.write(`${shown} has finished: ${done.epochsCompleted ?? epochs} of ${epochs} epoch(s)${best}. Nothing to resume; give --epochs N (more than ${epochs}) to train it further.\n`);
    return 0;
  }
  const spec = readRegularFile(runFiles(dir).spec, 'source');
  const recorded = stored.record.backendRequest;
  // The backend it was started with, unless another is asked for: a resumed run should
  // continue with the same arithmetic.
  const backend: BackendRequest =
    flags.backend !== 'auto' ? flags.backend : (BACKEND_REQUESTS as readonly string[]).includes(recorded) ? (recorded as BackendRequest) : 'auto';
  const interrupt = interruptible(io, 'saving a checkpoint');
  try {
    await runExperiment({
      experiment: stored.experiment,
      specFile: stored.record.specFile,
      specSource: spec.ok ? spec.bytes.toString('utf8') : '',
      resume: dir,
      backend,
      overrides: flags.epochs !== undefined ? { epochs: flags.epochs } : {},
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

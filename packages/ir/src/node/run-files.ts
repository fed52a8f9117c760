import path from 'node:path';

/**
 * The files of a run directory, by role: one list for the runtime that writes a run, the
 * sweep and queue code that moves and records it, and the CLI that resumes and replays it.
 */
export const RUN_FILES = {
  /** The `.snn` text the run was made from. */
  spec: 'spec.snn',
  /** The resolved experiment that trained (overrides applied), with its IR version. */
  experiment: 'experiment.json',
  /** The whole compiled program. */
  ir: 'ir.json',
  /** How `snnc run` started it (overrides, backend asked for): what `--resume` rebuilds it from. */
  run: 'run.json',
  metrics: 'metrics.jsonl',
  /** Written after every epoch and last of all: its status says whether the run finished. */
  summary: 'summary.json',
  curves: 'curves.svg',
  /** Checkpoint directories: the best test accuracy so far, and the latest state. */
  best: 'best',
  last: 'last',
  /** A sweep point's reproducibility record (@snnc/experiments). */
  record: 'record.json',
  /** stdout and stderr of a sweep point's process. */
  log: 'train.log',
} as const;

export type RunFile = keyof typeof RUN_FILES;

/** The paths of a run directory's files, by role. */
export function runFiles(dir: string): Record<RunFile, string> {
  const out = {} as Record<RunFile, string>;
  for (const [role, name] of Object.entries(RUN_FILES) as [RunFile, string][]) out[role] = path.join(dir, name);
  return out;
}

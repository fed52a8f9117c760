/**
 * The trainer point processes use by default: @snnc/runtime's `runExperiment`, the same code
 * path as `snnc run`. runExperiment names its own run directory
 * (`<runsDir>/<experiment>/<stamp>-<hash>/`), so it trains in a staging directory inside the
 * point directory and its files are moved up when it returns (or fails: a NaN loss still
 * leaves metrics, summary.json and the best checkpoint worth keeping). An interrupted point
 * (Ctrl-C: `last/` saved, summary `interrupted`) is continued in place on the next run.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runExperiment } from '@snnc/runtime/node';
import { STAGING_DIR } from './run-dir.js';
import type { TrainJob, TrainResult } from './trainer.js';

/** Moves the files of the (single) run directory runExperiment made under `staging` into `to`. */
function unstage(staging: string, to: string): void {
  if (!existsSync(staging)) return;
  for (const exp of readdirSync(staging)) {
    for (const run of readdirSync(path.join(staging, exp))) {
      const from = path.join(staging, exp, run);
      for (const name of readdirSync(from)) renameSync(path.join(from, name), path.join(to, name));
    }
  }
  rmSync(staging, { recursive: true, force: true });
}

export async function train(job: TrainJob): Promise<TrainResult> {
  const staging = path.join(job.runDir, STAGING_DIR);
  const specFile = job.spec?.file ?? path.join(job.baseDir, `${job.experiment.name}.snn`);
  const limits = job.limits;
  try {
    const summary = await runExperiment({
      experiment: job.experiment,
      specFile,
      specSource: job.spec?.source ?? '',
      // a resumed run continues in place: runExperiment reads its checkpoint from there
      ...(job.resume ? { resume: job.runDir } : { runsDir: staging }),
      backend: job.backend,
      overrides: {
        ...(limits.trainLimit !== undefined ? { trainLimit: limits.trainLimit } : {}),
        ...(limits.testLimit !== undefined ? { testLimit: limits.testLimit } : {}),
      },
      out: process.stdout,
      tty: false,
      signal: job.signal,
      // the point's share of the cores: wasm trains on that many data-parallel threads
      // (0: runExperiment's own default, as `snnc run` has it)
      ...(job.threads > 0 ? { workers: job.threads } : {}),
    });
    if (summary.status !== 'completed') {
      throw new Error(`${summary.status} after ${summary.epochsCompleted} of ${summary.epochs} epoch(s)`);
    }
    return { backend: { name: summary.backend.name, detail: summary.backend.detail } };
  } finally {
    unstage(staging, job.runDir);
  }
}

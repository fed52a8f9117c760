import path from 'node:path';
import { isSnncError, type Experiment } from '@snnc/ir';
import { machineInfo } from '@snnc/ir/node';
import type { BackendRequest, PointRef, QuickOverrides, RunRecord, SpecSource } from '../types.js';
import { writeJsonAtomic } from './files.js';
import { specHash } from './hash.js';
import { RUN_FILES } from './run-dir.js';

export interface RecordInput {
  experiment: Experiment;
  limits: { trainLimit?: number; testLimit?: number };
  overrides: QuickOverrides;
  backend: BackendRequest;
  /** Threads (and wasm data-parallel workers) of the point; 0: the libraries' defaults, uncapped. */
  threads: number;
  baseDir: string;
  snncVersion: string;
  spec?: SpecSource;
  point?: PointRef;
}

/** A fresh record, status `running`, for a run about to start. */
export function startRecord(input: RecordInput): RunRecord {
  const r: RunRecord = {
    recordVersion: 1,
    snncVersion: input.snncVersion,
    experiment: input.experiment,
    specHash: specHash(input.experiment, input.limits),
    seed: input.experiment.seed,
    limits: input.limits,
    overrides: input.overrides,
    backend: { requested: input.backend },
    threads: input.threads,
    baseDir: input.baseDir,
    machine: machineInfo(),
    startedAt: new Date().toISOString(),
    status: 'running',
  };
  if (input.spec !== undefined) r.spec = input.spec;
  if (input.point !== undefined) r.point = input.point;
  return r;
}

export function finishRecord(r: RunRecord, outcome: { backend: { name: string; detail?: string } } | { error: unknown }): RunRecord {
  const finishedAt = new Date();
  const done: RunRecord = { ...r, finishedAt: finishedAt.toISOString(), wallSeconds: (finishedAt.getTime() - Date.parse(r.startedAt)) / 1000 };
  if ('error' in outcome) {
    done.status = 'failed';
    done.error = describeError(outcome.error);
  } else {
    done.status = 'ok';
    done.backend = { ...r.backend, ...outcome.backend };
  }
  return done;
}

/** An error as the record and the sweep table show it: SnncErrors keep their code. */
export function describeError(e: unknown): { code?: string; message: string } {
  if (isSnncError(e)) return { code: e.code, message: `${e.code}: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}` };
  if (e instanceof Error) return { message: e.stack ?? e.message };
  return { message: String(e) };
}

export function writeRecord(runDir: string, r: RunRecord): void {
  writeJsonAtomic(path.join(runDir, RUN_FILES.record), r);
}

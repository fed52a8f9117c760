import type { Experiment } from '@snnc/ir';
import type { BackendRequest, SpecSource } from '../types.js';

/** One training run as the point process hands it to a trainer. */
export interface TrainJob {
  /** The resolved experiment (overrides applied). */
  experiment: Experiment;
  /** Absolute directory the run's files go to; it exists and is empty. */
  runDir: string;
  limits: { trainLimit?: number; testLimit?: number };
  backend: BackendRequest;
  /** Threads this process may use (the sweep divides the cores among its processes). */
  threads: number;
  /** Directory relative data paths resolve against (the `.snn` file's). */
  baseDir: string;
  /** The `.snn` file and its text, copied into the run directory when known. */
  spec?: SpecSource;
  /** Fires on SIGTERM / SIGINT of the point process: stop between two batches. */
  signal: AbortSignal;
  /**
   * `runDir` holds an interrupted run of this same spec (with its `last/` checkpoint):
   * continue it instead of starting over.
   */
  resume: boolean;
}

export interface TrainResult {
  /** The backend that actually ran (`wasm`, `cpu`, `tensorflow`) and its details. */
  backend: { name: string; detail?: string };
}

/**
 * Trains one job and writes `summary.json` (last) and `metrics.jsonl` into `job.runDir`.
 * User mistakes are thrown as SnncError; the point process records them.
 */
export type Trainer = (job: TrainJob) => Promise<TrainResult>;

/** A module a point process loads its trainer from: it exports `train`. */
export interface TrainerModule {
  train: Trainer;
}

/**
 * The URL of a module next to the calling one, with the caller's own extension: `.js` in
 * the built package, `.ts` when running from sources (tests).
 */
export function siblingModule(callerUrl: string, stem: string): string {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${stem}${ext}`, callerUrl).href;
}

/** The trainer that calls `runExperiment` from @snnc/runtime/node. */
export function defaultTrainerModule(): string {
  return siblingModule(import.meta.url, 'runtime-trainer');
}

import type { BackendRequest, EpochScores, Experiment, RunOverrides, SweepValue } from '@snnc/ir';
import type { MachineInfo } from '@snnc/ir/node';

/** Backends `runExperiment` can be asked for: @snnc/ir's list, re-exported for this package's users. */
export { BACKEND_REQUESTS, type BackendRequest } from '@snnc/ir';

/** The quick-run overrides `snnc run` and `snnc sweep` share: @snnc/ir's RunOverrides. */
export type QuickOverrides = RunOverrides;

export interface SpecSource {
  file: string;
  source: string;
}

/** Which sweep point a run belongs to. */
export interface PointRef {
  sweep: string;
  /** Hash of the expanded sweep with its overrides: results are keyed by it. */
  sweepHash: string;
  pointId: string;
  /** Position in the sweep's point list (the report keeps that order). */
  index: number;
  values: Record<string, SweepValue>;
}

/** The machine a run ran on: one shape for every package, from @snnc/ir/node. */
export type { MachineInfo } from '@snnc/ir/node';

/**
 * `record.json`, written by this package beside what `runExperiment` writes: everything
 * needed to re-run the run and to tell whether two runs should agree.
 */
export interface RunRecord {
  recordVersion: 1;
  snncVersion: string;
  /** The resolved experiment that was trained, overrides applied. */
  experiment: Experiment;
  /** sha256 of the canonical JSON of `experiment` (source ranges dropped) and the limits. */
  specHash: string;
  seed: number;
  limits: { trainLimit?: number; testLimit?: number };
  /** The overrides as given on the command line (already applied to `experiment`). */
  overrides: QuickOverrides;
  backend: { requested: BackendRequest; name?: string; detail?: string };
  /** Threads the point was given (tfjs intra-op / wasm threads). */
  threads: number;
  /** Directory relative data paths (IDX files) resolve against. */
  baseDir: string;
  /** The `.snn` file the experiment came from (absolute, on the machine that started it) and its text. */
  spec?: SpecSource;
  point?: PointRef;
  machine: MachineInfo;
  startedAt: string;
  finishedAt?: string;
  /** Wall-clock seconds of the whole point, data loading included. */
  wallSeconds?: number;
  status: 'running' | 'ok' | 'failed';
  error?: { code?: string; message: string };
  /**
   * Set when this point was not trained but copied from a finished run of the same spec hash
   * and backend request (another sweep's identical baseline point): that run's directory.
   */
  reusedFrom?: string;
}

/**
 * One epoch line of `metrics.jsonl` as read back: @snnc/ir's scores, each possibly missing
 * (an old or damaged file), and any other fields the runtime wrote.
 */
export interface EpochRow extends Partial<Omit<EpochScores, 'epoch'>> {
  epoch: number;
  [key: string]: unknown;
}

/** Everything the report needs from one run directory. */
export interface RunData {
  /** The directory, as found (absolute). */
  dir: string;
  /** Short unique label: the point id, else the path relative to the common parent. */
  label: string;
  record?: RunRecord;
  experiment?: Experiment;
  summary?: Record<string, unknown>;
  metrics: EpochRow[];
}

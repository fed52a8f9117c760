import type { SweepValue } from '@snnc/ir';

/** The BullMQ queue every sweep's points go through, and the prefix of all snnc keys. */
export const QUEUE_NAME = 'points';
export const KEY_PREFIX = 'snnc';

/** Hash: point id -> QueueResult JSON. Keyed by sweep hash, so a result is stored once. */
export const resultsKey = (sweepHash: string) => `${KEY_PREFIX}:results:${sweepHash}`;
/** Hash: point id -> failed RunRecord JSON. */
export const failuresKey = (sweepHash: string) => `${KEY_PREFIX}:failures:${sweepHash}`;
/** String: the latest SweepMeta submitted under this sweep name. */
export const sweepKey = (name: string) => `${KEY_PREFIX}:sweep:${name}`;

/** A BullMQ job id: unique per sweep hash and point; BullMQ forbids `:` in custom ids. */
export const jobId = (sweepHash: string, index: number) => `${sweepHash}-${index}`;

export interface SweepMeta {
  name: string;
  hash: string;
  points: { id: string; index: number; values: Record<string, SweepValue> }[];
  submittedAt: string;
}

/** What a worker stores for a finished point: the run directory's files, base64. */
export interface QueueResult {
  pointId: string;
  index: number;
  /** `hostname:pid` of the worker that trained it. */
  worker: string;
  /** Where the run directory is, when trained into a shared directory. */
  sharedDir: string | null;
  /** Run directory files by relative path, base64. */
  files: Record<string, string>;
  finishedAt: string;
  /** The point's wall-clock seconds and final test accuracy (fraction), for status tables. */
  wallSeconds: number | null;
  testAcc: number | null;
}

/** Progress a worker publishes on its BullMQ job (read by `snnc sweep --queue --wait`). */
export interface JobProgress {
  worker: string;
  epoch: number;
  testAcc: number | null;
}

/** Hash: BullMQ job id -> RejectedJob JSON, for jobs a worker refused as malformed. */
export const rejectedKey = () => `${KEY_PREFIX}:rejected`;

/** A job a worker refused without running it (malformed data, unknown sweep or point). */
export interface RejectedJob {
  jobId: string;
  /** The sweep and point the job claimed to be, when it said so as strings (for `snnc report --queue`). */
  sweep: string | null;
  pointId: string | null;
  reason: string;
  worker: string;
  at: string;
}

import type { Experiment } from '@snnc/ir';
import type { AllReduceHandle, ShardRequest, ShardResult } from '../../../train/parallel/index.js';
import type { BackendName } from '../../backend/index.js';

/** The first message to a replica worker: what to build and how to join the reducer. */
export interface ReplicaInit {
  experiment: Experiment;
  /** Classes of the training set (the target code's width depends on it). */
  classes: number;
  sampleShape: number[];
  backend: BackendName;
  rank: number;
  reduce: AllReduceHandle;
}

export type ToReplica = { kind: 'step'; request: ShardRequest } | { kind: 'close' };

export type FromReplica =
  | { kind: 'ready'; detail: string }
  | { kind: 'result'; result: ShardResult }
  | { kind: 'error'; message: string };

import type { Experiment } from '@snnc/ir';
import type { AllReduceHandle } from './all-reduce.js';
import type { ShardRequest, ShardResult } from './replicas.js';

/** The first message to a replica: what to build and how to join the reducer. */
export interface ReplicaInit {
  experiment: Experiment;
  /** Classes of the training set (the target code's width depends on it). */
  classes: number;
  sampleShape: number[];
  /** The tfjs backend the replica starts (the trainer's). */
  backend: string;
  rank: number;
  reduce: AllReduceHandle;
}

export type ToReplica = { kind: 'step'; request: ShardRequest } | { kind: 'close' };

export type FromReplica =
  | { kind: 'ready'; detail: string }
  | { kind: 'result'; result: ShardResult }
  | { kind: 'error'; message: string };

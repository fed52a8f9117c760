import type { HostBatch } from '../../data/index.js';
import type { RngState } from '../rng-state.js';
import type { CrossReplicaSum } from './all-reduce.js';

/** One shard of a training step, for a replica other than the trainer's own. */
export interface ShardRequest {
  /** Every persistent tensor of the network (weights and running statistics) by name. */
  weights: Record<string, Float32Array>;
  shard: HostBatch;
  globalBatch: number;
  /** The replica's forward generator for this step (dropout, stochastic encoders). */
  rng: RngState;
}

export interface ShardResult {
  /** The shard's share of the batch loss. */
  loss: number;
  /** Correctly classified samples of the shard. */
  correct: number;
  /** Gradients in the order of network.trainable. */
  grads: Float32Array[];
}

/**
 * Extra replicas for data-parallel training (Node: worker threads, node/train/parallel). The
 * trainer is replica 0: it computes the first shard itself, joined to the others through
 * `reducer` (synchronised batch norm), while `compute` runs the remaining shards, one each.
 */
export interface GradientReplicas {
  /** Replicas including the trainer's own. */
  readonly replicas: number;
  readonly reducer: CrossReplicaSum;
  compute(requests: ShardRequest[]): Promise<ShardResult[]>;
  /** Wakes and fails every replica waiting in the reducer (after the trainer's own shard failed). */
  abort(): void;
}

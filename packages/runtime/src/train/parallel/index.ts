export { AllReduce, createAllReduce, type AllReduceHandle, type CrossReplicaSum } from './all-reduce.js';
export type { GradientReplicas, ShardRequest, ShardResult } from './replicas.js';
export { shardGradients, splitBatch, type ShardGradientOptions, type ShardGradients } from './shard.js';

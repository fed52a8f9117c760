export { AllReduce, createAllReduce, type AllReduceHandle, type CrossReplicaSum } from './all-reduce.js';
export { ReplicaGroup, type ReplicaPort } from './group.js';
export type { FromReplica, ReplicaInit, ToReplica } from './protocol.js';
export { Replica } from './replica.js';
export type { GradientReplicas, ShardRequest, ShardResult } from './replicas.js';
export { shardGradients, splitBatch, type ShardGradientOptions, type ShardGradients } from './shard.js';
export { planReplicaCount, type ReplicaPlan } from './plan.js';

export { planReplicas, startReplicas, type ReplicaPlan } from './start.js';
export { WorkerReplicas, type WorkerReplicasOptions } from './worker-replicas.js';

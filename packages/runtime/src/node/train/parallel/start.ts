import os from 'node:os';
import type { Experiment } from '@snnc/ir';
import type { Dataset } from '../../../data/index.js';
import { toRuntimeShape } from '../../../model/index.js';
import { planReplicaCount, type ReplicaPlan } from '../../../train/parallel/index.js';
import type { LoadedBackend } from '../../backend/index.js';
import { WorkerReplicas } from './worker-replicas.js';

export type { ReplicaPlan };

/**
 * Data-parallel replicas for a run in Node: `requested`, else one per core (train/parallel/plan.ts
 * says when training stays on one replica and why).
 */
export function planReplicas(requested: number | undefined, backend: LoadedBackend, experiment: Experiment): ReplicaPlan {
  return planReplicaCount(requested, os.availableParallelism(), backend.name, experiment);
}

/** Starts the worker threads of a plan (none for one replica). */
export async function startReplicas(plan: ReplicaPlan, backend: LoadedBackend, experiment: Experiment, train: Pick<Dataset, 'classes'>): Promise<WorkerReplicas | undefined> {
  if (plan.replicas <= 1) return undefined;
  // The trainer checks that the data fit the model; the replicas take the same sample shape.
  const sampleShape = toRuntimeShape(experiment.model.input);
  return WorkerReplicas.start({ workers: plan.replicas, experiment, classes: train.classes, sampleShape, backend: backend.name });
}

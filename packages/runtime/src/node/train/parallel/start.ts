import os from 'node:os';
import { sequenceOf, type Experiment } from '@snnc/ir';
import type { Dataset } from '../../../data/index.js';
import { toRuntimeShape } from '../../../model/index.js';
import type { LoadedBackend } from '../../backend/index.js';
import { WorkerReplicas } from './worker-replicas.js';

/** How many replicas a run trains with, and why not more. */
export interface ReplicaPlan {
  replicas: number;
  /** Why training stays on one thread although more were asked for (or are the default). */
  reason?: string;
}

/**
 * Data-parallel replicas for a run: `requested` (default one per core) on the wasm backend,
 * which computes on one thread per instance. tensorflow already uses every core itself, and
 * webgpu and cpu stay on one replica; so do rate-regularised runs (the penalty is not a sum
 * over samples) and batches smaller than the replica count.
 */
export function planReplicas(requested: number | undefined, backend: LoadedBackend, experiment: Experiment): ReplicaPlan {
  const wanted = requested ?? os.availableParallelism();
  if (wanted <= 1) return { replicas: 1 };
  if (backend.name !== 'wasm') return { replicas: 1, ...(requested !== undefined ? { reason: `the ${backend.name} backend trains on one replica` } : {}) };
  if (experiment.rateReg) return { replicas: 1, reason: 'rate regularisation needs the whole batch in one replica' };
  // Shards cut the batch axis; sequence batches interleave it with time (T*B rows).
  if (sequenceOf(experiment.data)) return { replicas: 1, reason: 'sequence data trains on one replica' };
  return { replicas: Math.min(wanted, experiment.batch) };
}

/** Starts the worker threads of a plan (none for one replica). */
export async function startReplicas(plan: ReplicaPlan, backend: LoadedBackend, experiment: Experiment, train: Pick<Dataset, 'classes'>): Promise<WorkerReplicas | undefined> {
  if (plan.replicas <= 1) return undefined;
  // The trainer checks that the data fit the model; the replicas take the same sample shape.
  const sampleShape = toRuntimeShape(experiment.model.input);
  return WorkerReplicas.start({ workers: plan.replicas, experiment, classes: train.classes, sampleShape, backend: backend.name });
}

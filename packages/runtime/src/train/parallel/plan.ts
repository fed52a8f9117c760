import { sequenceOf, type Experiment } from '@snnc/ir';

/** How many replicas a run trains with, and why not more. */
export interface ReplicaPlan {
  replicas: number;
  /** Why training stays on one thread although more were asked for (or are the default). */
  reason?: string;
}

/**
 * Data-parallel replicas for a run (Node and the browser): `requested`, else one per core
 * (`cores`), on the wasm backend, which computes on one thread per instance. tensorflow already
 * uses every core itself, and webgpu and cpu stay on one replica; so do rate-regularised runs (the
 * penalty is not a sum over samples), sequence data (its batches interleave samples with time)
 * and, capped, batches smaller than the replica count.
 */
export function planReplicaCount(requested: number | undefined, cores: number, backend: string, experiment: Experiment): ReplicaPlan {
  const wanted = requested ?? cores;
  if (wanted <= 1) return { replicas: 1 };
  if (backend !== 'wasm') return { replicas: 1, ...(requested !== undefined ? { reason: `the ${backend} backend trains on one replica` } : {}) };
  if (experiment.rateReg) return { replicas: 1, reason: 'rate regularisation needs the whole batch in one replica' };
  if (sequenceOf(experiment.data)) return { replicas: 1, reason: 'sequence data trains on one replica' };
  return { replicas: Math.min(wanted, experiment.batch) };
}

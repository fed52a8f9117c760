import { planReplicaCount, ReplicaGroup, toRuntimeShape, type ReplicaPort } from '@snnc/runtime';
import type { Experiment } from '@snnc/ir';
import ReplicaWorker from './replica-worker.ts?worker';

function webPort(w: Worker): ReplicaPort {
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.addEventListener('message', (e: MessageEvent) => f(e.data)),
    onFailure: (f) => {
      w.addEventListener('error', (e) => f(e.message || 'the replica worker failed'));
      w.addEventListener('messageerror', () => f('a message could not be read'));
    },
    terminate: async () => w.terminate(),
  };
}

/**
 * Data-parallel training on every core the browser reports: one replica worker per core beyond
 * the training worker, each with its own wasm instance; batch norm is synchronised through shared
 * memory, which needs the cross-origin-isolated page (`snnc editor` and Vite send COOP/COEP).
 * Undefined when training stays in one worker (see planReplicaCount), with the reason.
 */
export async function startReplicas(
  experiment: Experiment,
  classes: number,
  backend: string,
): Promise<{ group: ReplicaGroup | undefined; workers: number; reason?: string }> {
  if (!self.crossOriginIsolated) return { group: undefined, workers: 1, reason: 'the page is not cross-origin isolated (no shared memory)' };
  const plan = planReplicaCount(undefined, navigator.hardwareConcurrency || 1, backend, experiment);
  if (plan.replicas <= 1) return { group: undefined, workers: 1, ...(plan.reason !== undefined ? { reason: plan.reason } : {}) };
  const base = { experiment, classes, sampleShape: toRuntimeShape(experiment.model.input), backend };
  const group = await ReplicaGroup.launch(plan.replicas, base, (init) => {
    const w = new ReplicaWorker();
    const port = webPort(w);
    w.postMessage(init);
    return port;
  });
  return { group, workers: plan.replicas };
}

/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core registers no gradients by itself; the replica's backward pass needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { Replica, type FromReplica, type ReplicaInit, type ToReplica } from '@snnc/runtime';
import { prepareWasm } from './wasm-setup.js';

/**
 * One data-parallel replica of the editor's training (started by the training worker, see
 * replicas.ts): its own wasm instance and copy of the network. The first message is its
 * ReplicaInit; then steps until `close`.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const send = (m: FromReplica, transfer: ArrayBuffer[] = []): void => scope.postMessage(m, transfer);
let replica: Replica | undefined;

async function start(init: ReplicaInit): Promise<void> {
  try {
    if (init.backend === 'wasm') prepareWasm();
    if (!(await tf.setBackend(init.backend))) throw new Error(`the ${init.backend} backend did not start in a replica worker`);
    await tf.ready();
    replica = new Replica(init, send);
    send({ kind: 'ready', detail: tf.getBackend() });
  } catch (e) {
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

scope.onmessage = (ev: MessageEvent<ReplicaInit | ToReplica>) => {
  if (replica === undefined) {
    void start(ev.data as ReplicaInit);
    return;
  }
  if (!replica.handle(ev.data as ToReplica)) scope.close();
};

import { parentPort, workerData } from 'node:worker_threads';
import { Replica, type FromReplica, type ReplicaInit, type ToReplica } from '../../../train/parallel/index.js';
import { loadBackend, type BackendName } from '../../backend/index.js';

/**
 * A replica of data-parallel training in a worker thread: its own tfjs backend (a wasm instance
 * per thread is what puts every core to work) around the shared replica body.
 */
async function serve(init: ReplicaInit): Promise<void> {
  const port = parentPort!;
  const send = (m: FromReplica, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  let replica: Replica;
  try {
    const backend = await loadBackend(init.backend as BackendName);
    replica = new Replica(init, send);
    send({ kind: 'ready', detail: backend.detail });
  } catch (e) {
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  port.on('message', (m: ToReplica) => {
    if (!replica.handle(m)) port.close();
  });
}

void serve(workerData as ReplicaInit);

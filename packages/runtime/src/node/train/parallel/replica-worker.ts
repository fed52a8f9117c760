import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { buildNetwork } from '../../../model/index.js';
import { countCorrect, makeLoss, targetCodec } from '../../../train/index.js';
import { AllReduce, shardGradients } from '../../../train/parallel/index.js';
import { loadRng } from '../../../train/rng-state.js';
import { withCrossReplicaBatchNorm } from '../../../kernels/batchnorm.js';
import { loadBackend } from '../../backend/index.js';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol.js';

/**
 * A replica of data-parallel training in a worker thread: its own tfjs backend (a wasm instance
 * per thread is what puts every core to work) and its own copy of the network. Per step it takes
 * the trainer's weights and one shard, and answers with the shard's loss share and gradients.
 */
async function serve(init: ReplicaInit): Promise<void> {
  const port = parentPort!;
  const send = (m: FromReplica, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  const reducer = new AllReduce(init.reduce, init.rank);
  let network: ReturnType<typeof buildNetwork>;
  try {
    const backend = await loadBackend(init.backend);
    network = buildNetwork(init.experiment.model, { seed: init.experiment.seed });
    send({ kind: 'ready', detail: backend.detail });
  } catch (e) {
    send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const codec = targetCodec(init.experiment.target, init.classes);
  const loss = makeLoss(init.experiment.loss, codec, init.experiment.model.decoder.kind);
  port.on('message', (m: ToReplica) => {
    if (m.kind === 'close') {
      network.dispose();
      port.close();
      return;
    }
    try {
      const { weights, shard, globalBatch, rng } = m.request;
      const current = network.namedWeights();
      tf.tidy(() => network.loadWeights(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.tensor(v, current[k]?.shape ?? [v.length])]))));
      const g = withCrossReplicaBatchNorm(reducer, () =>
        tf.tidy(() => shardGradients({ network, loss, codec, sampleShape: init.sampleShape, shard, globalBatch, rng: loadRng(rng) })),
      );
      try {
        // Own copies: their buffers are transferred to the trainer, never a view of the wasm heap.
        const grads = g.grads.map((t) => new Float32Array(t.dataSync()));
        const result = { loss: g.value.dataSync()[0]!, correct: countCorrect(codec, g.outputs.dataSync(), shard.labels), grads };
        send({ kind: 'result', result }, grads.map((a) => a.buffer as ArrayBuffer));
      } finally {
        tf.dispose([g.value, g.outputs, ...g.grads]);
      }
    } catch (e) {
      // Wake the trainer and the other replicas if they wait for this one in a batch norm.
      reducer.abort();
      send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
}

void serve(workerData as ReplicaInit);

import * as tf from '@tensorflow/tfjs-core';
import { withCrossReplicaBatchNorm } from '../../kernels/batchnorm.js';
import { buildNetwork } from '../../model/index.js';
import { countCorrect, targetCodec } from '../codes/index.js';
import { makeLoss } from '../losses.js';
import { loadRng } from '../rng-state.js';
import { AllReduce } from './all-reduce.js';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol.js';
import { shardGradients } from './shard.js';

/**
 * The body of a replica thread (a Node worker thread or a browser Web Worker), once its tfjs
 * backend runs: its own copy of the network; per step it takes the trainer's weights and one
 * shard and answers with the shard's loss share and gradients. `send` posts to the trainer,
 * transferring the listed buffers.
 */
export class Replica {
  private readonly reducer: AllReduce;
  private readonly network: ReturnType<typeof buildNetwork>;
  private readonly codec: ReturnType<typeof targetCodec>;
  private readonly loss: ReturnType<typeof makeLoss>;

  constructor(
    private readonly init: ReplicaInit,
    private readonly send: (m: FromReplica, transfer: ArrayBuffer[]) => void,
  ) {
    this.reducer = new AllReduce(init.reduce, init.rank);
    this.network = buildNetwork(init.experiment.model, { seed: init.experiment.seed });
    this.codec = targetCodec(init.experiment.target, init.classes);
    this.loss = makeLoss(init.experiment.loss, this.codec, init.experiment.model.decoder.kind);
  }

  /** Handles one message; returns false after `close`. */
  handle(m: ToReplica): boolean {
    if (m.kind === 'close') {
      this.network.dispose();
      return false;
    }
    try {
      const { weights, shard, globalBatch, rng } = m.request;
      const current = this.network.namedWeights();
      tf.tidy(() => this.network.loadWeights(Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.tensor(v, current[k]?.shape ?? [v.length])]))));
      const g = withCrossReplicaBatchNorm(this.reducer, () =>
        tf.tidy(() => shardGradients({ network: this.network, loss: this.loss, codec: this.codec, sampleShape: this.init.sampleShape, shard, globalBatch, rng: loadRng(rng) })),
      );
      try {
        // Own copies: their buffers are transferred to the trainer, never a view of the wasm heap.
        const grads = g.grads.map((t) => new Float32Array(t.dataSync()));
        const result = { loss: g.value.dataSync()[0]!, correct: countCorrect(this.codec, g.outputs.dataSync(), shard.labels), grads };
        this.send({ kind: 'result', result }, grads.map((a) => a.buffer as ArrayBuffer));
      } finally {
        tf.dispose([g.value, g.outputs, ...g.grads]);
      }
    } catch (e) {
      // Wake the trainer and the other replicas if they wait for this one in a batch norm.
      this.reducer.abort();
      this.send({ kind: 'error', message: e instanceof Error ? e.message : String(e) }, []);
    }
    return true;
  }
}

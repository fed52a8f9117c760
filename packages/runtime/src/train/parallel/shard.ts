import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '@snnc/ir';
import type { HostBatch } from '../../data/index.js';
import type { LayerProbe, SnnNetwork } from '../../model/index.js';
import { encodeBatch, type TargetCodec } from '../codes/index.js';
import { leanVariableGrads } from '../lean-gradients.js';
import type { LossFn } from '../losses.js';

/**
 * Cuts a batch into `parts` contiguous runs of samples, as equal as possible (the first ones one
 * larger), none empty: parts must be between 1 and the batch size.
 */
export function splitBatch(host: HostBatch, parts: number): HostBatch[] {
  if (!Number.isInteger(parts) || parts < 1 || parts > host.size) {
    throw new Error(`splitBatch: cannot cut ${host.size} samples into ${parts} parts`);
  }
  const rowLength = host.x.length / host.size;
  const shards: HostBatch[] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(host.size / parts) + (p < host.size % parts ? 1 : 0);
    shards.push({
      x: host.x.subarray(start * rowLength, (start + size) * rowLength),
      labels: host.labels.subarray(start, start + size),
      size,
    });
    start += size;
  }
  return shards;
}

export interface ShardGradientOptions {
  network: SnnNetwork;
  loss: LossFn;
  codec: TargetCodec;
  /** One sample's shape, as the network takes it. */
  sampleShape: readonly number[];
  shard: HostBatch;
  /** Samples in the whole batch the shard is part of. */
  globalBatch: number;
  rng: Random;
  probe?: LayerProbe;
}

/** A type, not an interface, so that tf.tidy accepts it as a tensor container. */
export type ShardGradients = {
  /** This shard's share of the batch loss: its mean loss times shard / batch. */
  value: tf.Scalar;
  /** Gradients of `value` in the order of network.trainable. */
  grads: tf.Tensor[];
  outputs: tf.Tensor;
};

/**
 * Loss and gradients of one shard of a batch. The loss is the shard's mean scaled by its share
 * of the batch, so the replicas' gradients simply add up to those of the whole batch's mean
 * loss. Call inside tf.tidy (only the returned tensors survive it).
 */
export function shardGradients(o: ShardGradientOptions): ShardGradients {
  const x = tf.tensor(o.shard.x, [o.shard.size, ...o.sampleShape], 'float32');
  const y = tf.tensor2d(encodeBatch(o.codec, o.shard.labels), [o.shard.size, o.codec.outputs]);
  const share = o.shard.size / o.globalBatch;
  let outputs: tf.Tensor | undefined;
  const trainable = o.network.trainable;
  const { value, grads } = leanVariableGrads(() => {
    const out = o.network.forward(x, { training: true, rng: o.rng, ...(o.probe ? { probe: o.probe } : {}) });
    outputs = tf.keep(out);
    return tf.mul(o.loss(out as tf.Tensor2D, y), share) as tf.Scalar;
  }, trainable);
  // A variable that does not reach the loss gets a zero gradient (every replica sends one per variable).
  return { value, grads: trainable.map((v) => grads[v.name] ?? tf.zerosLike(v)), outputs: outputs! };
}

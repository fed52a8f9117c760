import type * as tf from '@tensorflow/tfjs-core';
import { SnncError, type Model } from '@snnc/ir';
import type { GraphNode } from './graph-plan.js';

/** A network's persistent tensors: the trainable ones in order, and all of them by name. */
export interface NetworkWeights {
  /** Layer order; within a layer its own order (kernel before bias, gamma before beta). */
  readonly trainable: tf.Variable[];
  /** `<layer id>/<local name>` (`conv2d_0/kernel`, `batchnorm_1/moving_mean`, ...), layer order. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
}

/** Collects the variables the layer and neuron runtimes of `nodes` created. */
export function collectWeights(nodes: readonly GraphNode[]): NetworkWeights {
  const runtimes = nodes.flatMap((n) => (n.op.kind === 'layer' || n.op.kind === 'neuron' ? [n.op.runtime] : []));
  const trainable = runtimes.flatMap((r) => r.trainable) as tf.Variable[];
  const variables = new Map<string, tf.Variable>();
  for (const r of runtimes) {
    for (const [local, v] of Object.entries(r.weights)) variables.set(`${r.id}/${local}`, v);
  }
  return { trainable, variables };
}

/**
 * Assigns every variable from `weights` by name; throws SnncError SNN7007 on a missing name,
 * a shape mismatch or a non-float32 tensor. All names are checked before anything is
 * assigned, so a bad checkpoint leaves the network unchanged.
 */
export function loadNamedWeights(model: Model, variables: ReadonlyMap<string, tf.Variable>, weights: Record<string, tf.Tensor>): void {
  const where = `weights for model \`${model.name}\``;
  for (const [name, v] of variables) {
    const w = weights[name];
    if (w === undefined) throw new SnncError('SNN7007', { path: where, reason: `no tensor named \`${name}\`` });
    if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i])) {
      throw new SnncError('SNN7007', {
        path: where,
        reason: `\`${name}\` has shape [${w.shape.join(', ')}] but the model needs [${v.shape.join(', ')}]`,
      });
    }
    if (w.dtype !== 'float32') {
      throw new SnncError('SNN7007', { path: where, reason: `\`${name}\` is ${w.dtype}, expected float32` });
    }
  }
  for (const [name, v] of variables) v.assign(weights[name]!);
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';

/**
 * A delay of `steps` time steps (NIR Delay): y[t] = x[t - steps], zeros for t < steps. On a
 * whole time-major sequence x [T*B, ...] it is a shift by steps*B rows; inside a recurrent loop
 * the graph runner reads its source's earlier steps instead (see graph-run.ts).
 */
export function delaySequence(layer: Extract<Layer, { kind: 'delay' }>, x: tf.Tensor, steps: number): tf.Tensor {
  const d = layer.steps;
  if (!Number.isInteger(d) || d < 1) throw new Error(`${layer.id}: expected a delay of at least 1 step, got ${d}`);
  const rows = x.shape[0]!;
  if (rows % steps !== 0) throw new Error(`${layer.id}: expected T*B rows with T=${steps}, got [${x.shape.join(', ')}]`);
  const batch = rows / steps;
  if (d >= steps) return tf.zerosLike(x);
  const kept = tf.slice(x, 0, (steps - d) * batch);
  return tf.concat([tf.zeros([d * batch, ...x.shape.slice(1)]), kept], 0);
}

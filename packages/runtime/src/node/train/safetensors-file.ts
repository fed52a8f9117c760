import * as tf from '@tensorflow/tfjs-core';
import { SnncError } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import { decodeSafetensors } from '../../weights/index.js';

/** Whether a `--checkpoint` path names a weights file rather than a checkpoint or run directory. */
export function isWeightsFile(p: string): boolean {
  return p.endsWith('.safetensors');
}

/**
 * Reads a `.safetensors` weights file (as `snnc import` and the editor write: runtime weight
 * names such as `dense_0/kernel`, F32) into tensors for `network.loadWeights`, which checks
 * every name and shape against the model. A damaged file is SNN7007 naming it.
 */
export function loadWeightsFile(file: string): Record<string, tf.Tensor> {
  const r = readRegularFile(file, 'weights');
  if (!r.ok) throw new SnncError('SNN7007', { path: file, reason: r.reason });
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(r.bytes);
  } catch (e) {
    throw new SnncError('SNN7007', { path: file, reason: (e instanceof Error ? e.message : String(e)).replace(/^decodeSafetensors: /, '') }, { cause: e });
  }
  const out: Record<string, tf.Tensor> = {};
  for (const t of decoded.tensors) out[t.name] = tf.tensor(t.data, t.shape, 'float32');
  return out;
}

import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SnncError, type Model } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import { buildNetwork } from '../../model/index.js';
import { decodeSafetensors, type NamedTensor } from '../../weights/index.js';
import { loadBackend } from '../backend/index.js';
import { disposeCheckpoint, loadCheckpoint } from './checkpoint.js';
import { exists } from './fs-atomic.js';

/** Whether a `--checkpoint` path names a weights file rather than a checkpoint or run directory. */
export function isWeightsFile(p: string): boolean {
  return p.endsWith('.safetensors');
}

/**
 * Reads a `.safetensors` weights file (as `snnc import` and the editor write: runtime weight
 * names such as `dense_0/kernel`, F32). A damaged file is SNN7007 naming it.
 */
export function readWeightsFile(file: string): NamedTensor[] {
  const r = readRegularFile(file, 'weights');
  if (!r.ok) throw new SnncError('SNN7007', { path: file, reason: r.reason });
  try {
    return decodeSafetensors(r.bytes).tensors;
  } catch (e) {
    throw new SnncError('SNN7007', { path: file, reason: (e instanceof Error ? e.message : String(e)).replace(/^decodeSafetensors: /, '') }, { cause: e });
  }
}

/** A weights file as tensors for `network.loadWeights`, which checks every name and shape. */
export function loadWeightsFile(file: string): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const t of readWeightsFile(file)) out[t.name] = tf.tensor(t.data, t.shape, 'float32');
  return out;
}

/**
 * A model's weights as plain arrays: from a `.safetensors` file, a checkpoint or run directory
 * (its `best/`), or, with no source, the seeded initial weights (`buildNetwork(model, {seed})`).
 */
export async function modelWeights(model: Model, source: string | undefined, seed = 0): Promise<NamedTensor[]> {
  if (source !== undefined && isWeightsFile(source)) return readWeightsFile(source);
  await loadBackend('cpu');
  const plain = (w: Record<string, tf.Tensor>) => Object.entries(w).map(([name, t]) => ({ name, shape: [...t.shape], data: Float32Array.from(t.dataSync()) }));
  if (source !== undefined) {
    const dir = !(await exists(path.join(source, 'checkpoint.json'))) && (await exists(path.join(source, 'best'))) ? path.join(source, 'best') : source;
    const ckpt = await loadCheckpoint(dir);
    try {
      return plain(ckpt.weights);
    } finally {
      disposeCheckpoint(ckpt);
    }
  }
  const net = buildNetwork(model, { seed });
  try {
    return plain(net.namedWeights());
  } finally {
    net.dispose();
  }
}

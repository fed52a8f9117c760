import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SnncError } from '@snnc/ir';
import { writeFileSynced } from './fs-atomic.js';

/** One group of tfjs's weights manifest (the `weightsManifest` entries of a model.json). */
export interface WeightsManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool' }[];
}

/**
 * Writes named tensors in the tfjs weights format: `<base>.json`, a manifest
 * `[{ paths: ['<base>.bin'], weights: [{ name, shape, dtype }] }]` readable by
 * tf.io.decodeWeights / tf.loadLayersModel's loader, and `<base>.bin`, the raw little-endian
 * values in manifest order.
 */
export async function writeWeights(dir: string, base: string, tensors: Record<string, tf.Tensor>): Promise<void> {
  const names = Object.keys(tensors).sort();
  const { data, specs } = await tf.io.encodeWeights(names.map((name) => ({ name, tensor: tensors[name]! })));
  const manifest: WeightsManifestGroup[] = [
    { paths: [`${base}.bin`], weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype as 'float32' | 'int32' | 'bool' })) },
  ];
  await writeFileSynced(path.join(dir, `${base}.bin`), new Uint8Array(data as ArrayBuffer));
  await writeFileSynced(path.join(dir, `${base}.json`), JSON.stringify(manifest, null, 1) + '\n');
}

/** Reads `<base>.json` + its bin files; SnncError SNN7007 naming `checkpoint` on any damage. */
export async function readWeights(dir: string, base: string, checkpoint: string): Promise<Record<string, tf.Tensor>> {
  const bad = (reason: string, cause?: unknown) => new SnncError('SNN7007', { path: checkpoint, reason }, cause === undefined ? {} : { cause });
  let manifest: WeightsManifestGroup[];
  try {
    manifest = JSON.parse(await readFile(path.join(dir, `${base}.json`), 'utf8')) as WeightsManifestGroup[];
  } catch (e) {
    throw bad(`cannot read ${base}.json (${(e as Error).message})`, e);
  }
  if (!Array.isArray(manifest)) throw bad(`${base}.json is not a tfjs weights manifest`);
  const out: Record<string, tf.Tensor> = {};
  for (const group of manifest) {
    const buffers: Uint8Array[] = [];
    for (const p of group.paths) {
      try {
        buffers.push(await readFile(path.join(dir, p)));
      } catch (e) {
        throw bad(`cannot read ${p} (${(e as Error).message})`, e);
      }
    }
    const total = buffers.reduce((a, b) => a + b.length, 0);
    const joined = new Uint8Array(total);
    let off = 0;
    for (const b of buffers) {
      joined.set(b, off);
      off += b.length;
    }
    const need = group.weights.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    if (need !== total) throw bad(`${group.paths.join(', ')} holds ${total} bytes but ${base}.json describes ${need}`);
    Object.assign(out, tf.io.decodeWeights(joined.buffer, group.weights));
  }
  return out;
}

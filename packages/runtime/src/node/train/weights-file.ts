import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SnncError } from '@snnc/ir';
import { READ_LIMITS, readRegularFile, resolveInside } from '@snnc/ir/node';
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

/**
 * Reads `<base>.json` + its bin files; SnncError SNN7007 naming `checkpoint` on any damage.
 * The manifest is data from disk: its file names must stay inside `dir`, every file must be a
 * regular file under READ_LIMITS, and the shapes must add up before anything is decoded.
 */
export async function readWeights(dir: string, base: string, checkpoint: string): Promise<Record<string, tf.Tensor>> {
  const bad = (reason: string, cause?: unknown) => new SnncError('SNN7007', { path: checkpoint, reason }, cause === undefined ? {} : { cause });
  const manifestText = readRegularFile(path.join(dir, `${base}.json`), 'json');
  if (!manifestText.ok) throw bad(`cannot read ${base}.json: ${manifestText.reason}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText.bytes.toString('utf8'));
  } catch (e) {
    throw bad(`${base}.json is not JSON (${(e as Error).message})`, e);
  }
  if (!Array.isArray(manifest) || !manifest.every(isManifestGroup)) throw bad(`${base}.json is not a tfjs weights manifest`);
  const out: Record<string, tf.Tensor> = {};
  let read = 0;
  for (const group of manifest) {
    const need = group.weights.reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    const buffers: Uint8Array[] = [];
    for (const p of group.paths) {
      const file = resolveInside(dir, p);
      if (file === undefined) throw bad(`${base}.json names \`${p}\`, which is outside the checkpoint directory`);
      const r = readRegularFile(file, 'weights', Math.max(0, READ_WEIGHTS_TOTAL - read));
      if (!r.ok) throw bad(`cannot read ${p}: ${r.reason}`);
      read += r.bytes.length;
      buffers.push(r.bytes);
    }
    const total = buffers.reduce((a, b) => a + b.length, 0);
    if (need !== total) throw bad(`${group.paths.join(', ')} holds ${total} bytes but ${base}.json describes ${need}`);
    const joined = new Uint8Array(total);
    let off = 0;
    for (const b of buffers) {
      joined.set(b, off);
      off += b.length;
    }
    Object.assign(out, tf.io.decodeWeights(joined.buffer, group.weights));
  }
  return out;
}

/** All weight files of one manifest together, bytes (one file alone has the same bound). */
const READ_WEIGHTS_TOTAL = READ_LIMITS.weights;

/** Shapes are small lists of non-negative integers; names strings; dtypes the three tfjs ones. */
function isManifestGroup(g: unknown): g is WeightsManifestGroup {
  if (g === null || typeof g !== 'object') return false;
  const { paths, weights } = g as Record<string, unknown>;
  return (
    Array.isArray(paths) &&
    paths.every((p) => typeof p === 'string') &&
    Array.isArray(weights) &&
    weights.every((w: unknown) => {
      if (w === null || typeof w !== 'object') return false;
      const { name, shape, dtype } = w as Record<string, unknown>;
      return (
        typeof name === 'string' &&
        (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') &&
        Array.isArray(shape) &&
        shape.length <= 8 &&
        shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
      );
    })
  );
}

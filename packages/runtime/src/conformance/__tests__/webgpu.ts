import * as tf from '@tensorflow/tfjs-core';
import { loadBackend } from '../../node/backend/index.js';

/**
 * For tests: makes `webgpu` the active backend, accepting a software adapter (Dawn's OpenGL
 * ES backend on Mesa llvmpipe, or lavapipe; tools/setup-webgpu-driver.sh installs one).
 * Returns the backend detail, or null after printing why webgpu tests are skipped here.
 */
let cached: { detail: string } | { skip: string } | null = null;

export async function useWebgpu(): Promise<string | null> {
  if (cached === null) {
    process.env['SNNC_WEBGPU_ALLOW_FALLBACK'] = '1';
    try {
      cached = { detail: (await loadBackend('webgpu')).detail };
    } catch (e) {
      cached = { skip: e instanceof Error ? e.message : String(e) };
      console.warn(`webgpu tests skipped: ${cached.skip} (run tools/setup-webgpu-driver.sh)`);
    }
  }
  if ('skip' in cached) return null;
  await loadBackend('webgpu');
  return cached.detail;
}

/** Reads tensors asynchronously (dataSync throws on webgpu in Node) and disposes them. */
export async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(ts);
  }
}

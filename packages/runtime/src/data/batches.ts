import type { Random } from '@snnc/ir';
import { sampleSize, type Dataset } from './dataset.js';

/** One batch in host memory: normalised float32 samples (NHWC, row-major) and their labels. */
export interface HostBatch {
  /** Row-major [size, height, width, channels]. */
  x: Float32Array;
  labels: Int32Array;
  size: number;
}

/**
 * Training order: a seeded Fisher-Yates permutation of all indices, drawn fresh each epoch
 * from `rng` (like a DataLoader with shuffle=True), cut into floor(count / batch) batches;
 * the last partial batch is dropped (drop_last=True), as in the reference script.
 */
export function trainOrder(count: number, rng: Random): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return rng.shuffle(order);
}

export function trainBatchCount(count: number, batch: number): number {
  return Math.floor(count / batch);
}

/** Test batches keep every sample: ceil(count / batch), the last one possibly smaller. */
export function testBatchCount(count: number, batch: number): number {
  return Math.ceil(count / batch);
}

/**
 * Gathers samples `order[start .. start + size)` (or `start ..` in storage order when `order`
 * is null) into one normalised batch.
 */
export function gatherBatch(d: Dataset, order: Int32Array | null, start: number, size: number, table: Float32Array): HostBatch {
  const n = sampleSize(d);
  const x = new Float32Array(size * n);
  const labels = new Int32Array(size);
  for (let r = 0; r < size; r++) {
    const idx = order === null ? start + r : order[start + r]!;
    if (idx === undefined || idx >= d.count) throw new Error(`gatherBatch: sample ${start + r} is past the end (${d.count})`);
    labels[r] = d.labels[idx]!;
    const src = idx * n;
    const dst = r * n;
    for (let k = 0; k < n; k++) x[dst + k] = table[d.images[src + k]!]!;
  }
  return { x, labels, size };
}

/** The `i`-th training batch of an epoch whose order is `order`. */
export function trainBatch(d: Dataset, order: Int32Array, i: number, batch: number, table: Float32Array): HostBatch {
  return gatherBatch(d, order, i * batch, batch, table);
}

/** The `i`-th test batch, in storage order, the last one holding the remainder. */
export function testBatch(d: Dataset, i: number, batch: number, table: Float32Array): HostBatch {
  const start = i * batch;
  return gatherBatch(d, null, start, Math.min(batch, d.count - start), table);
}

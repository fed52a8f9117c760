import { assertNever } from '@snnc/ir';
import type { Dataset } from './dataset.js';

/**
 * How a sequence data set keeps its frames in memory.
 * - `bytes`: dense unsigned bytes [count, steps, stepSize], normalised through the experiment's
 *   byte table when batched (sequential MNIST: the image rows, shared with the image set).
 * - `events`: binned spike counts, sparse per sample (event data is mostly empty: SHD binned to
 *   100 steps is ~2 % non-zero, 8,156 x 100 x 700 dense bytes would be 571 MB). Sample `i` owns
 *   entries `offsets[i] .. offsets[i + 1]`; `cells[k] = step * stepSize + feature` (feature in
 *   runtime NHWC order), `counts[k]` the number of events that fell in that cell (>= 1).
 */
export type SequenceStorage =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'events'; offsets: Uint32Array; cells: Uint32Array; counts: Uint16Array };

/** A labelled set of sequences: `count` samples of `steps` frames of `stepShape` each. */
export interface SequenceDataset {
  readonly count: number;
  readonly steps: number;
  /** One frame in runtime layout (NHWC: [34, 34, 2] for N-MNIST, [700] for SHD). */
  readonly stepShape: readonly number[];
  readonly classes: number;
  readonly labels: Int32Array;
  readonly storage: SequenceStorage;
}

/** One batch of sequences, time-major as the runtime's multi-step mode: row `t * size + b`. */
export interface SequenceBatch {
  /** Float32 [steps, size, ...stepShape]. */
  x: Float32Array;
  labels: Int32Array;
  size: number;
  steps: number;
}

export function stepSize(d: Pick<SequenceDataset, 'stepShape'>): number {
  return d.stepShape.reduce((a, b) => a * b, 1);
}

export function isSequence(d: Dataset | SequenceDataset): d is SequenceDataset {
  return 'steps' in d;
}

/** Checks the invariants (internal errors: the loaders report data problems first). */
export function makeSequenceDataset(d: SequenceDataset): SequenceDataset {
  const n = stepSize(d);
  if (d.labels.length !== d.count) throw new Error(`SequenceDataset: expected ${d.count} labels, got ${d.labels.length}`);
  for (let i = 0; i < d.count; i++) {
    const l = d.labels[i]!;
    if (l < 0 || l >= d.classes) throw new Error(`SequenceDataset: label ${l} at ${i} is outside 0..${d.classes - 1}`);
  }
  const s = d.storage;
  switch (s.kind) {
    case 'bytes':
      if (s.bytes.length !== d.count * d.steps * n) throw new Error(`SequenceDataset: expected ${d.count} x ${d.steps} x ${n} bytes, got ${s.bytes.length}`);
      break;
    case 'events': {
      if (s.offsets.length !== d.count + 1 || s.offsets[0] !== 0 || s.offsets[d.count] !== s.cells.length || s.cells.length !== s.counts.length) {
        throw new Error('SequenceDataset: event offsets, cells and counts do not agree');
      }
      const cellsPerSample = d.steps * n;
      for (let k = 0; k < s.cells.length; k++) if (s.cells[k]! >= cellsPerSample) throw new Error(`SequenceDataset: event cell ${s.cells[k]} is outside ${cellsPerSample}`);
      break;
    }
    default:
      return assertNever(s);
  }
  return d;
}

/** Sequential MNIST: each image row is one step (28 steps of 28 pixels); shares the image bytes. */
export function rowsAsSequence(images: Dataset): SequenceDataset {
  return makeSequenceDataset({
    count: images.count,
    steps: images.height,
    stepShape: [images.width * images.channels],
    classes: images.classes,
    labels: images.labels,
    storage: { kind: 'bytes', bytes: images.images },
  });
}

/** The first `n` samples (all when undefined or at least count); shares memory. */
export function takeFirstSequences(d: SequenceDataset, n: number | undefined): SequenceDataset {
  if (n === undefined || n >= d.count) return d;
  if (!Number.isInteger(n) || n < 1) throw new Error(`takeFirstSequences: expected a positive integer, got ${n}`);
  const s = d.storage;
  let storage: SequenceStorage;
  switch (s.kind) {
    case 'bytes':
      storage = { kind: 'bytes', bytes: s.bytes.subarray(0, n * d.steps * stepSize(d)) };
      break;
    case 'events': {
      const end = s.offsets[n]!;
      storage = { kind: 'events', offsets: s.offsets.subarray(0, n + 1), cells: s.cells.subarray(0, end), counts: s.counts.subarray(0, end) };
      break;
    }
    default:
      return assertNever(s);
  }
  return { ...d, count: n, labels: d.labels.subarray(0, n), storage };
}

/**
 * Gathers samples `order[start .. start + size)` (storage order when `order` is null) into one
 * time-major batch. Bytes go through `table` (the experiment's normalisation); event counts are
 * used as they are (spike counts per bin).
 */
export function gatherSequenceBatch(d: SequenceDataset, order: Int32Array | null, start: number, size: number, table: Float32Array): SequenceBatch {
  const n = stepSize(d);
  const T = d.steps;
  const x = new Float32Array(T * size * n);
  const labels = new Int32Array(size);
  const s = d.storage;
  for (let b = 0; b < size; b++) {
    const idx = order === null ? start + b : order[start + b]!;
    if (idx === undefined || idx >= d.count) throw new Error(`gatherSequenceBatch: sample ${start + b} is past the end (${d.count})`);
    labels[b] = d.labels[idx]!;
    switch (s.kind) {
      case 'bytes': {
        const src = idx * T * n;
        for (let t = 0; t < T; t++) {
          const from = src + t * n;
          const to = (t * size + b) * n;
          for (let k = 0; k < n; k++) x[to + k] = table[s.bytes[from + k]!]!;
        }
        break;
      }
      case 'events':
        for (let k = s.offsets[idx]!; k < s.offsets[idx + 1]!; k++) {
          const cell = s.cells[k]!;
          const t = Math.floor(cell / n);
          x[(t * size + b) * n + (cell - t * n)] = s.counts[k]!;
        }
        break;
      default:
        return assertNever(s);
    }
  }
  return { x, labels, size, steps: T };
}

/** The `i`-th training batch of an epoch whose order is `order` (the last partial batch is dropped). */
export function trainSequenceBatch(d: SequenceDataset, order: Int32Array, i: number, batch: number, table: Float32Array): SequenceBatch {
  return gatherSequenceBatch(d, order, i * batch, batch, table);
}

/** The `i`-th test batch in storage order, the last one holding the remainder. */
export function testSequenceBatch(d: SequenceDataset, i: number, batch: number, table: Float32Array): SequenceBatch {
  const start = i * batch;
  return gatherSequenceBatch(d, null, start, Math.min(batch, d.count - start), table);
}

/**
 * Bins events into a sparse sample: `steps` equal bins over [0, duration) seconds; events at or
 * after `duration` are dropped (as tonic's ToFrame with a fixed window). `time[k]` in seconds,
 * `feature[k]` the runtime feature index (< stepSize). Returns cells sorted with their counts.
 */
export function binEvents(time: ArrayLike<number>, feature: ArrayLike<number>, steps: number, features: number, duration: number): { cells: Uint32Array; counts: Uint16Array } {
  const hits = new Map<number, number>();
  for (let k = 0; k < time.length; k++) {
    const t = time[k]!;
    if (!(t >= 0) || t >= duration) continue;
    const step = Math.min(steps - 1, Math.floor((t / duration) * steps));
    const cell = step * features + feature[k]!;
    hits.set(cell, Math.min(65535, (hits.get(cell) ?? 0) + 1));
  }
  const cells = Uint32Array.from(hits.keys()).sort();
  const counts = Uint16Array.from(cells, (c) => hits.get(c)!);
  return { cells, counts };
}

/** Packs per-sample binned events into one `events` storage. */
export function packEvents(samples: readonly { cells: Uint32Array; counts: Uint16Array }[]): Extract<SequenceStorage, { kind: 'events' }> {
  const offsets = new Uint32Array(samples.length + 1);
  for (let i = 0; i < samples.length; i++) offsets[i + 1] = offsets[i]! + samples[i]!.cells.length;
  const total = offsets[samples.length]!;
  const cells = new Uint32Array(total);
  const counts = new Uint16Array(total);
  samples.forEach((s, i) => {
    cells.set(s.cells, offsets[i]!);
    counts.set(s.counts, offsets[i]!);
  });
  return { kind: 'events', offsets, cells, counts };
}

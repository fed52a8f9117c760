/**
 * An in-memory labelled image set: `count` images of `height` x `width` x `channels` unsigned
 * bytes, stored NHWC (row-major, channels last), one Int32 label in [0, classes) each.
 * Vectors are images of height 1.
 */
export interface Dataset {
  readonly images: Uint8Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classes: number;
}

/** Values per sample: height x width x channels. */
export function sampleSize(d: Pick<Dataset, 'height' | 'width' | 'channels'>): number {
  return d.height * d.width * d.channels;
}

/**
 * Checks the invariants and returns the data set. An image/label count mismatch or a bad
 * label is a data problem and is reported by the loaders; here they are internal errors.
 */
export function makeDataset(d: Dataset): Dataset {
  const size = sampleSize(d);
  if (d.images.length !== d.count * size) {
    throw new Error(`Dataset: expected ${d.count} x ${size} image bytes, got ${d.images.length}`);
  }
  if (d.labels.length !== d.count) throw new Error(`Dataset: expected ${d.count} labels, got ${d.labels.length}`);
  for (let i = 0; i < d.count; i++) {
    const l = d.labels[i]!;
    if (l < 0 || l >= d.classes) throw new Error(`Dataset: label ${l} at ${i} is outside 0..${d.classes - 1}`);
  }
  return d;
}

/** The first `n` samples (all of them when n is undefined or at least count); shares memory. */
export function takeFirst(d: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= d.count) return d;
  if (!Number.isInteger(n) || n < 1) throw new Error(`takeFirst: expected a positive integer, got ${n}`);
  const size = sampleSize(d);
  return { ...d, count: n, images: d.images.subarray(0, n * size), labels: d.labels.subarray(0, n) };
}

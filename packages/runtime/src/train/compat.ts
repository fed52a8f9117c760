import { checkDataFit, throwIfInvalid, type Experiment } from '@snnc/ir';
import type { Dataset } from '../data/index.js';
import { toRuntimeShape } from '../model/index.js';

/** The data set's per-sample shape in IR order, [C, H, W] (vectors are stored as 1 x N x 1). */
export function dataShape(d: Dataset): number[] {
  return [d.channels, d.height, d.width];
}

/**
 * Checks that the experiment's model fits the data as read and its class count (the compiler
 * checks the same for `data: mnist`; IDX files are only known at run time), with the IR
 * validator's `checkDataFit`, throwing its first problem as an SnncError. Returns the batch
 * tensor shape after the batch axis: NHWC for images, [N] for vectors.
 */
export function checkFit(experiment: Experiment, data: Dataset): number[] {
  throwIfInvalid(checkDataFit(experiment, { shape: dataShape(data), classes: data.classes }));
  return toRuntimeShape(experiment.model.input);
}

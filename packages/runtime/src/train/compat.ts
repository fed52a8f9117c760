import { SnncError, type Experiment } from '@snnc/ir';
import { sampleSize, type Dataset } from '../data/index.js';
import { toRuntimeShape } from '../model/index.js';
import type { TargetCodec } from './codes/index.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The data set's per-sample shape in IR order: [C, H, W], or [N] for vectors stored as 1 x N x 1. */
export function dataShape(d: Dataset): number[] {
  return [d.channels, d.height, d.width];
}

/**
 * Checks that the experiment's model fits the data and the target code, as SnncErrors (the
 * compiler checks the same for `data: mnist`; IDX files are only known at run time).
 * Returns the batch tensor shape after the batch axis: NHWC for images, [N] for vectors.
 */
export function checkFit(experiment: Experiment, data: Dataset, codec: TargetCodec): number[] {
  const model = experiment.model;
  const input = model.input;
  const dataName = experiment.data.kind === 'mnist' ? 'mnist' : 'the IDX data';
  const size = sampleSize(data);
  const fits =
    input.length === 3
      ? input[0] === data.channels && input[1] === data.height && input[2] === data.width
      : input.length === 1 && input[0] === size;
  if (!fits) throw new SnncError('SNN4004', { model: model.name, actual: fmt(input), data: dataName, expected: fmt(dataShape(data)) }, { hint: input.length === 1 ? `a vector model needs input: [${size}]` : undefined });
  const out = model.outputShape;
  if (out.length !== 1 || out[0] !== codec.outputs) {
    throw new SnncError('SNN4003', { model: model.name, actual: fmt(out), target: codec.kind, needed: codec.outputs });
  }
  return toRuntimeShape(input);
}

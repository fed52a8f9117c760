import * as tf from '@tensorflow/tfjs-core';
import { SnncError, type Experiment } from '@snnc/ir';
import { isSequence, testBatch, testSequenceBatch, trainBatch, trainSequenceBatch, type Dataset, type HostBatch, type SequenceDataset } from '../data/index.js';
import { toRuntimeShape } from '../model/index.js';
import { checkFit } from './compat.js';

/** What a trainer or an evaluation reads: static samples (images) or sequences (one frame per step). */
export type TrainingData = Dataset | SequenceDataset;

/** How the batches of one data set become network input. */
export interface DataLayout {
  /** One sample (static) or one frame (sequence), runtime layout. */
  sampleShape: number[];
  /** Sequences arrive time-major, [T*B, ...frame]; forward with `timeMajor`. */
  timeMajor: boolean;
  /** Frames per sample (1 for static data). */
  steps: number;
}

/**
 * Checks that the experiment's model fits `data` (the compiler checks the built-in data sets;
 * files are only known at run time) and returns the batch layout. A sequence's frame must be
 * the model's input and its length the model's steps.
 */
export function fitData(experiment: Experiment, data: TrainingData): DataLayout {
  if (!isSequence(data)) return { sampleShape: checkFit(experiment, data), timeMajor: false, steps: 1 };
  const model = experiment.model;
  const shape = toRuntimeShape(model.input);
  const frame = [...data.stepShape];
  if (shape.length !== frame.length || shape.some((d, i) => d !== frame[i])) {
    throw new SnncError('SNN4004', { model: model.name, actual: `[${model.input.join(', ')}]`, data: experiment.data.kind, expected: `frames of [${frame.join(', ')}] (runtime layout)` });
  }
  if (model.steps !== data.steps) {
    throw new SnncError('SNN4450', { model: model.name, actual: model.steps, data: experiment.data.kind, expected: data.steps });
  }
  return { sampleShape: shape, timeMajor: true, steps: data.steps };
}

/** The `i`-th training batch (shuffled by `order`; the last partial batch dropped). */
export function trainBatchOf(data: TrainingData, order: Int32Array, i: number, batch: number, table: Float32Array): HostBatch {
  return isSequence(data) ? trainSequenceBatch(data, order, i, batch, table) : trainBatch(data, order, i, batch, table);
}

/** The `i`-th evaluation batch in storage order (the last one holds the remainder). */
export function testBatchOf(data: TrainingData, i: number, batch: number, table: Float32Array): HostBatch {
  return isSequence(data) ? testSequenceBatch(data, i, batch, table) : testBatch(data, i, batch, table);
}

/** The host batch as the network's input tensor: [B, ...sample] or, for sequences, [T*B, ...frame]. */
export function inputTensor(layout: DataLayout, host: HostBatch): tf.Tensor {
  return tf.tensor(host.x, [layout.steps * host.size, ...layout.sampleShape], 'float32');
}

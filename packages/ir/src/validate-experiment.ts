import type { SnncError } from './diagnostic.js';
import { assertNever } from './expr.js';
import type { DataSpec, Experiment, Optimizer, Shape, TargetCode } from './ir.js';
import { dataClasses, sequenceOf } from './sequence-data.js';
import type { SourceRange } from './source.js';
import { validateModel } from './validate-model.js';
import { Problems } from './validate-problems.js';
import { IR_RANGES } from './validate-ranges.js';

/** Outputs a target code needs: one per class for one-hot codes, ceil(log2 classes) bits for binary and Gray. */
export function targetWidth(classes: number, target: TargetCode): number {
  return target === 'onehot' || target === 'inverse_onehot' ? classes : Math.max(1, Math.ceil(Math.log2(classes)));
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * An experiment: its model, training settings, data and how the model fits the target code and
 * the data (as far as the IR tells; IDX image sizes are only known once the files are read,
 * see {@link checkDataFit}).
 */
export function validateExperiment(exp: Experiment, p: Problems = new Problems()): SnncError[] {
  const R = IR_RANGES.experiment;
  const r = exp.range;
  validateModel(exp.model, p);
  p.number('batch', exp.batch, R.batch, r);
  p.number('epochs', exp.epochs, R.epochs, r);
  p.number('seed', exp.seed, R.seed, r);
  checkOptimizer(exp.optimizer, r, p);
  if (exp.schedule.kind === 'cosine') p.number('min_lr', exp.schedule.minLr, R.minLr, r);
  if (exp.normalize.kind === 'standard') {
    p.number('mean', exp.normalize.mean, {}, r);
    p.number('std', exp.normalize.std, R.std, r);
  }
  checkData(exp.data, r, p);
  if (exp.rateReg !== undefined) {
    p.number('rate_reg target', exp.rateReg.target, { min: 0, max: 1 }, r);
    p.number('rate_reg weight', exp.rateReg.weight, { min: 0 }, r);
  }
  if (exp.energy !== undefined) {
    p.number('energy mac', exp.energy.macPj, { min: 0 }, r);
    p.number('energy ac', exp.energy.acPj, { min: 0 }, r);
  }
  checkTargetFit(exp, p);
  checkSequenceFit(exp, p);
  return p.list;
}

function checkOptimizer(o: Optimizer, r: SourceRange | undefined, p: Problems): void {
  const R = IR_RANGES.experiment;
  p.number('lr', o.lr, R.lr, r);
  p.number('weight_decay', o.weightDecay, R.weightDecay, r);
  switch (o.kind) {
    case 'adam':
    case 'adamw':
      p.number('beta1', o.beta1, R.beta, r);
      p.number('beta2', o.beta2, R.beta, r);
      p.number('eps', o.eps, R.eps, r);
      return;
    case 'sgd':
      if (p.number('momentum', o.momentum, R.momentum, r) && o.nesterov && o.momentum === 0) {
        p.add('SNN3002', { name: 'momentum', constraint: '> 0 with `nesterov: true`', value: 0 }, r);
      }
      return;
    default:
      assertNever(o);
  }
}

function checkData(d: DataSpec, r: SourceRange | undefined, p: Problems): void {
  switch (d.kind) {
    case 'mnist':
    case 'sequential_mnist':
      return;
    case 'idx':
      p.number('classes', d.classes, IR_RANGES.experiment.classes, r);
      return;
    case 'shd':
      p.number('classes', d.classes, IR_RANGES.experiment.classes, r);
      p.number('units', d.units, { integer: true, min: 1 }, r);
      p.number('steps', d.steps, IR_RANGES.model.steps, r);
      p.number('duration', d.duration, { min: 0, minOpen: true }, r);
      return;
    case 'nmnist':
      p.number('steps', d.steps, IR_RANGES.model.steps, r);
      p.number('duration', d.duration, { min: 0, minOpen: true }, r);
      return;
    default:
      assertNever(d);
  }
}

/** The model's output must be as wide as the target code needs for `classes` (SNN4003). */
function checkTargetFit(exp: Experiment, p: Problems, classes: number = dataClasses(exp.data)): void {
  const needed = targetWidth(classes, exp.target);
  const out = exp.model.outputShape;
  if (out.length !== 1 || out[0] !== needed) p.add('SNN4003', { model: exp.model.name, actual: shapeText(out), target: exp.target, needed }, exp.range);
}

/** Sequence data gives one frame per step: the model's input is a frame and its steps the data's. */
function checkSequenceFit(exp: Experiment, p: Problems): void {
  const seq = sequenceOf(exp.data);
  const model = exp.model;
  if (seq === undefined) {
    if (exp.data.kind === 'mnist') checkInputFit(exp, [1, 28, 28], p);
    return;
  }
  const size = model.input.reduce((a, b) => a * b, 1);
  const frame = seq.stepShape.reduce((a, b) => a * b, 1);
  if (size !== frame || !(model.input.length === 1 || shapeText(model.input) === shapeText(seq.stepShape))) {
    p.add('SNN4004', { model: model.name, actual: shapeText(model.input), data: exp.data.kind, expected: `frames of ${shapeText(seq.stepShape)}` }, exp.range);
  }
  if (model.steps !== seq.steps) p.add('SNN4450', { model: model.name, actual: model.steps, data: exp.data.kind, expected: seq.steps }, exp.range);
}

/** An image data set's per-sample shape ([C, H, W], channels first) and class count, as read. */
export interface ImageDataShape {
  shape: Shape;
  classes: number;
}

/**
 * How a model fits an image data set once it is read (IDX sizes and classes are only known
 * then): the input must be the data's image shape or that many values as a vector (SNN4004),
 * the output as wide as the target code needs for the data's classes (SNN4003).
 */
export function checkDataFit(exp: Experiment, data: ImageDataShape, p: Problems = new Problems()): SnncError[] {
  checkInputFit(exp, data.shape, p);
  checkTargetFit(exp, p, data.classes);
  return p.list;
}

function checkInputFit(exp: Experiment, shape: Shape, p: Problems): void {
  const input = exp.model.input;
  const size = shape.reduce((a, b) => a * b, 1);
  const fits = input.length === 1 ? input[0] === size : shapeText(input) === shapeText(shape);
  if (fits) return;
  const dataName = exp.data.kind === 'idx' ? 'the IDX data' : exp.data.kind;
  p.add('SNN4004', { model: exp.model.name, actual: shapeText(input), data: dataName, expected: shapeText(shape) }, exp.model.range, input.length === 1 ? `a vector model needs input: [${size}]` : undefined);
}

import { didYouMean, type DataSpec, type Experiment, type Model, type Normalize, type Optimizer, type Schedule, type SourceRange } from '@snnc/ir';
import type { AstExpr, CallExpr, Ident } from '../ast.js';
import { resolveRelative } from '../paths.js';
import { asCall, bindArgs, type BoundArg, type BoundArgs, type Signature } from './args.js';
import { describeValue } from './describe.js';
import { EMPTY_ENV } from './evaluate.js';
import { instantiateModel, type ModelDeps } from './models.js';
import { readBool, readChoice, readNumber, readString, type NumSpec, type ReadCtx } from './read.js';
import { shapeText } from './shapes.js';
import { Sink } from './sink.js';

/** One experiment field after inheritance: its value plus `field.param` overrides on top. */
export interface FieldEntry {
  value: AstExpr;
  range: SourceRange;
  overrides: Map<string, BoundArg>;
}

export type FieldMap = Map<string, FieldEntry>;

export const TARGET_CODES = ['onehot', 'inverse_onehot', 'binary', 'gray'] as const;
export const LOSSES = ['mse', 'cross_entropy'] as const;
export const EXPERIMENT_FIELDS = ['model', 'data', 'normalize', 'target', 'loss', 'optimizer', 'schedule', 'batch', 'epochs', 'seed'] as const;
export type ExperimentField = (typeof EXPERIMENT_FIELDS)[number];
/** Fields whose value is a call, so `field.param` can override one argument. */
export const CALL_FIELDS: readonly ExperimentField[] = ['model', 'data', 'normalize', 'optimizer', 'schedule'];

/** Kinds a call field takes when the experiment does not say (`optimizer.lr: 0.1` alone means adam). */
const DEFAULT_KIND: Partial<Record<ExperimentField, string>> = { data: 'mnist', normalize: 'unit', optimizer: 'adam', schedule: 'constant' };

/** Defaults: PyTorch's for the optimizers (Adam lr 1e-3, betas 0.9/0.999, eps 1e-8; AdamW weight decay 0.01; SGD lr 1e-3). */
export const EXPERIMENT_DEFAULTS = {
  target: 'onehot' as const,
  loss: 'mse' as const,
  batch: 64,
  epochs: 1,
  seed: 0,
  adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adamw: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  sgd: { lr: 1e-3, momentum: 0, nesterov: false, weightDecay: 0 },
  cosine: { minLr: 0 },
  mnistClasses: 10,
};

export const CALL_SIGNATURES: Record<string, Record<string, Omit<Signature, 'owner'>>> = {
  data: {
    mnist: { positional: [], named: [] },
    idx: { positional: [], named: ['train_images', 'train_labels', 'test_images', 'test_labels', 'classes'], required: ['train_images', 'train_labels', 'test_images', 'test_labels'] },
  },
  normalize: { unit: { positional: [], named: [] }, standard: { positional: [], named: ['mean', 'std'], required: ['mean', 'std'] } },
  optimizer: {
    adam: { positional: ['lr'], named: ['beta1', 'beta2', 'eps', 'weight_decay'] },
    adamw: { positional: ['lr'], named: ['beta1', 'beta2', 'eps', 'weight_decay'] },
    sgd: { positional: ['lr'], named: ['momentum', 'nesterov', 'weight_decay'] },
  },
  schedule: { constant: { positional: [], named: [] }, cosine: { positional: [], named: ['min_lr'] } },
};

export type ExperimentDeps = ModelDeps;

/** Applies `path: value` to a field map; false after reporting a bad path. */
export function applyField(map: FieldMap, path: readonly Ident[], value: AstExpr, range: SourceRange, sink: Sink, experiment: string): boolean {
  const top = path[0]!;
  if (top.name === '') return false;
  const full = path.map((p) => p.name).join('.');
  if (!(EXPERIMENT_FIELDS as readonly string[]).includes(top.name) || path.length > 2) {
    sink.report('SNN6001', top.range, { name: full }, path.length === 1 ? didYouMean(top.name, EXPERIMENT_FIELDS) : undefined);
    return false;
  }
  const field = top.name as ExperimentField;
  if (path.length === 1) {
    const old = map.get(field);
    const entry: FieldEntry = { value, range, overrides: new Map() };
    const oldCall = old && asCall(old.value);
    const newCall = asCall(value);
    // `model: csnn(fc: 256)` over a base with `csnn(conv: 64)` keeps conv: 64.
    if (field === 'model' && old && oldCall && newCall && oldCall.callee.name === newCall.callee.name) {
      const given = new Set(newCall.args.flatMap((a) => (a.name ? [a.name.name] : [])));
      for (const a of oldCall.args) if (a.name && !given.has(a.name.name)) entry.overrides.set(a.name.name, { value: a.value, range: a.range });
      for (const [k, v] of old.overrides) if (!given.has(k)) entry.overrides.set(k, v);
    }
    map.set(field, entry);
    return true;
  }
  if (!CALL_FIELDS.includes(field)) {
    sink.report('SNN6001', top.range, { name: full });
    return false;
  }
  let entry = map.get(field);
  if (!entry) {
    const kind = DEFAULT_KIND[field];
    if (!kind) {
      sink.report('SNN6002', top.range, { experiment, name: field });
      return false;
    }
    entry = { value: { kind: 'ident', name: kind, range: top.range }, range: top.range, overrides: new Map() };
  }
  const overrides = new Map(entry.overrides);
  overrides.set(path[1]!.name, { value, range });
  map.set(field, { ...entry, overrides });
  return true;
}

/** Resolves a complete experiment from its fields; undefined after reporting. */
export function resolveExperiment(name: string, nameRange: SourceRange, fields: FieldMap, range: SourceRange, deps: ExperimentDeps): Experiment | undefined {
  const sink = deps.sink;
  const before = sink.errorCount;
  const ctx: ReadCtx = { sink, env: EMPTY_ENV };
  const m = fields.get('model');
  if (!m) {
    sink.report('SNN6002', nameRange, { experiment: name, name: 'model' });
    return undefined;
  }
  const dataEntry = fields.get('data');
  const data = dataEntry ? readData(dataEntry, ctx) : ({ kind: 'mnist' } as DataSpec);
  const nEntry = fields.get('normalize');
  const normalize = nEntry ? readNormalize(nEntry, ctx) : ({ kind: 'unit' } as Normalize);
  const tEntry = fields.get('target');
  const target = tEntry ? readChoice(tEntry.value, 'target', TARGET_CODES, ctx) : EXPERIMENT_DEFAULTS.target;
  const lEntry = fields.get('loss');
  const loss = lEntry ? readChoice(lEntry.value, 'loss', LOSSES, ctx) : EXPERIMENT_DEFAULTS.loss;
  // The model sees the data's class count and the target's width as `classes` and `outputs`.
  const model = data && target ? readModel(m, deps, name, targetNames(data, target)) : undefined;
  const oEntry = fields.get('optimizer');
  const optimizer = oEntry ? readOptimizer(oEntry, ctx) : ({ kind: 'adam', ...EXPERIMENT_DEFAULTS.adam } as Optimizer);
  const sEntry = fields.get('schedule');
  const schedule = sEntry ? readSchedule(sEntry, ctx) : ({ kind: 'constant' } as Schedule);
  const int = (f: 'batch' | 'epochs' | 'seed', spec: NumSpec) => {
    const e = fields.get(f);
    return e ? readNumber(e.value, f, spec, ctx) : EXPERIMENT_DEFAULTS[f];
  };
  const batch = int('batch', { integer: true, min: 1 });
  const epochs = int('epochs', { integer: true, min: 1 });
  const seed = int('seed', { integer: true, min: 0 });
  if (!model || !data || !normalize || !target || !loss || !optimizer || !schedule || batch === undefined || epochs === undefined || seed === undefined) return undefined;
  if (sink.errorCount !== before) return undefined;
  if (!checkFit(model, data, target, m, fields, sink)) return undefined;
  return { name, model, data, normalize, target, loss, optimizer, schedule, batch, epochs, seed, range };
}

/** The model's output must match the target code's width, and its input the data (MNIST is 1x28x28). */
function checkFit(model: Model, data: DataSpec, target: Experiment['target'], modelEntry: FieldEntry, fields: FieldMap, sink: Sink): boolean {
  const classes = data.kind === 'mnist' ? EXPERIMENT_DEFAULTS.mnistClasses : data.classes;
  const needed = targetWidth(classes, target);
  const out = model.outputShape;
  let ok = true;
  if (out.length !== 1 || out[0] !== needed) {
    sink.report('SNN4003', fields.get('target')?.value.range ?? modelEntry.value.range, { model: model.name, actual: shapeText(out), target, needed }, out.length !== 1 ? 'end the model in `flatten -> dense(...)`' : `make the last layer \`dense(${needed})\`, or \`dense(outputs)\` to follow the target code`);
    ok = false;
  }
  if (data.kind === 'mnist') {
    const size = model.input.reduce((a, b) => a * b, 1);
    if (size !== 784 || !(model.input.length === 1 || (model.input[0] === 1 && model.input[1] === 28))) {
      sink.report('SNN4004', modelEntry.value.range, { model: model.name, actual: shapeText(model.input), data: 'mnist', expected: '[1, 28, 28] (or [784])' });
      ok = false;
    }
  }
  return ok;
}

/** `classes` (of the data) and `outputs` (the width the target code needs), for model headers. */
export function targetNames(data: DataSpec, target: Experiment['target']): Map<string, number> {
  const classes = data.kind === 'mnist' ? EXPERIMENT_DEFAULTS.mnistClasses : data.classes;
  return new Map([
    ['classes', classes],
    ['outputs', targetWidth(classes, target)],
  ]);
}

/** One output per class for one-hot codes; ceil(log2 classes) bits for binary and Gray codes. */
export function targetWidth(classes: number, target: Experiment['target']): number {
  return target === 'onehot' || target === 'inverse_onehot' ? classes : Math.max(1, Math.ceil(Math.log2(classes)));
}

function readModel(entry: FieldEntry, deps: ExperimentDeps, experiment: string, implicit: ReadonlyMap<string, number>): Model | undefined {
  const sink = deps.sink;
  const call = asCall(entry.value);
  if (!call) {
    sink.report('SNN3001', entry.value.range, { name: 'model', expected: 'a model such as `csnn(conv: 64)`', actual: describeValue(entry.value) });
    return undefined;
  }
  const decl = deps.scope.require(call.callee, 'model', sink);
  if (!decl || decl.broken) return undefined;
  const header = decl.params.map((p) => p.name.name);
  const args = bindArgs(call.args, { owner: `model \`${decl.name.name}\``, positional: [], named: header }, call.range, sink);
  for (const [k, v] of entry.overrides) args.set(k, v);
  if (args.size === 0) return instantiateModel(decl, args, deps, undefined, implicit);
  // Errors that only these parameter values cause point into the model; say where they came from.
  const local = new Sink();
  const model = instantiateModel(decl, args, { ...deps, sink: local }, undefined, implicit);
  for (const d of local.diagnostics) {
    if (d.range.file === decl.range.file && d.range.start >= decl.range.start && d.range.end <= decl.range.end) {
      d.related = [...(d.related ?? []), { message: `with the parameters given by experiment \`${experiment}\``, range: call.range }];
    }
    sink.add(d);
  }
  return model;
}

/** Binds a call-valued field's arguments, with `field.param` overrides on top. */
function fieldArgs(field: string, entry: FieldEntry, ctx: ReadCtx, kinds: readonly string[]): { kind: string; args: BoundArgs; call: CallExpr } | undefined {
  const call = asCall(entry.value);
  if (!call) {
    ctx.sink.report('SNN3001', entry.value.range, { name: field, expected: `one of ${kinds.map((k) => `\`${k}\``).join(', ')}`, actual: describeValue(entry.value) });
    return undefined;
  }
  const kind = readChoice(call.callee, field, kinds, ctx);
  if (!kind) return undefined;
  const sig = { owner: `${field} \`${kind}\``, ...CALL_SIGNATURES[field]![kind]! };
  const overridden = new Set(entry.overrides.keys());
  const args = bindArgs(call.args, { ...sig, required: (sig.required ?? []).filter((r) => !overridden.has(r)) }, call.range, ctx.sink);
  for (const [k, v] of entry.overrides) {
    if (![...sig.positional, ...sig.named].includes(k)) ctx.sink.report('SNN2003', v.range, { owner: sig.owner, name: k }, didYouMean(k, [...sig.positional, ...sig.named]));
    else args.set(k, v);
  }
  return { kind, args, call };
}

function readData(entry: FieldEntry, ctx: ReadCtx): DataSpec | undefined {
  const f = fieldArgs('data', entry, ctx, ['mnist', 'idx']);
  if (!f) return undefined;
  if (f.kind === 'mnist') return { kind: 'mnist' };
  const path = (n: string) => {
    const a = f.args.get(n);
    if (!a) return undefined;
    const s = readString(a.value, n, ctx);
    return s === undefined ? undefined : resolveRelative(a.value.range.file, s);
  };
  const trainImages = path('train_images');
  const trainLabels = path('train_labels');
  const testImages = path('test_images');
  const testLabels = path('test_labels');
  const c = f.args.get('classes');
  const classes = c ? readNumber(c.value, 'classes', { integer: true, min: 2 }, ctx) : EXPERIMENT_DEFAULTS.mnistClasses;
  if (!trainImages || !trainLabels || !testImages || !testLabels || classes === undefined) return undefined;
  return { kind: 'idx', trainImages, trainLabels, testImages, testLabels, classes };
}

function readNormalize(entry: FieldEntry, ctx: ReadCtx): Normalize | undefined {
  const f = fieldArgs('normalize', entry, ctx, ['unit', 'standard']);
  if (!f) return undefined;
  if (f.kind === 'unit') return { kind: 'unit' };
  const m = f.args.get('mean');
  const s = f.args.get('std');
  const mean = m && readNumber(m.value, 'mean', {}, ctx);
  const std = s && readNumber(s.value, 'std', { min: 0, minOpen: true }, ctx);
  return mean === undefined || std === undefined ? undefined : { kind: 'standard', mean, std };
}

function readOptimizer(entry: FieldEntry, ctx: ReadCtx): Optimizer | undefined {
  const f = fieldArgs('optimizer', entry, ctx, ['adam', 'adamw', 'sgd']);
  if (!f) return undefined;
  const num = (n: string, dflt: number, spec: NumSpec) => {
    const a = f.args.get(n);
    return a ? readNumber(a.value, n, spec, ctx) : dflt;
  };
  if (f.kind === 'sgd') {
    const d = EXPERIMENT_DEFAULTS.sgd;
    const lr = num('lr', d.lr, { min: 0, minOpen: true });
    const momentum = num('momentum', d.momentum, { min: 0, max: 1, maxOpen: true });
    const wd = num('weight_decay', d.weightDecay, { min: 0 });
    const n = f.args.get('nesterov');
    const nesterov = n ? readBool(n.value, 'nesterov', ctx) : d.nesterov;
    if (lr === undefined || momentum === undefined || wd === undefined || nesterov === undefined) return undefined;
    if (nesterov && momentum === 0) {
      ctx.sink.report('SNN3002', n?.range ?? entry.value.range, { name: 'momentum', constraint: '> 0 with `nesterov: true`', value: 0 });
      return undefined;
    }
    return { kind: 'sgd', lr, momentum, nesterov, weightDecay: wd };
  }
  const kind = f.kind === 'adamw' ? 'adamw' : 'adam';
  const d = EXPERIMENT_DEFAULTS[kind];
  const lr = num('lr', d.lr, { min: 0, minOpen: true });
  const beta1 = num('beta1', d.beta1, { min: 0, max: 1, maxOpen: true });
  const beta2 = num('beta2', d.beta2, { min: 0, max: 1, maxOpen: true });
  const eps = num('eps', d.eps, { min: 0, minOpen: true });
  const weightDecay = num('weight_decay', d.weightDecay, { min: 0 });
  if (lr === undefined || beta1 === undefined || beta2 === undefined || eps === undefined || weightDecay === undefined) return undefined;
  return { kind, lr, beta1, beta2, eps, weightDecay };
}

function readSchedule(entry: FieldEntry, ctx: ReadCtx): Schedule | undefined {
  const f = fieldArgs('schedule', entry, ctx, ['constant', 'cosine']);
  if (!f) return undefined;
  if (f.kind === 'constant') return { kind: 'constant' };
  const a = f.args.get('min_lr');
  const minLr = a ? readNumber(a.value, 'min_lr', { min: 0 }, ctx) : EXPERIMENT_DEFAULTS.cosine.minLr;
  return minLr === undefined ? undefined : { kind: 'cosine', minLr };
}

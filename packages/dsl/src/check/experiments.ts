import { dataClasses, DEFAULT_ENERGY_TABLE, didYouMean, ENERGY_TABLES, sequenceOf, SHD_DEFAULTS, type DataSpec, type EnergyTable, type Experiment, type RateRegularizer, type WeightInit, type LossKind, type Model, type Normalize, type Optimizer, type Schedule, type SourceRange, type TargetCode } from '@snnc/ir';
import { callable, defaultBoolean, defaultNumber, defaultWord, namesOf, numOf, paramOf, signatureOf, type CallableEntry } from '../catalog/index.js';
import type { AstExpr, CallExpr, Ident } from '../ast.js';
import { resolveRelative } from '../paths.js';
import { asCall, bindArgs, type BoundArg, type BoundArgs, type Signature } from './args.js';
import { describeValue } from './describe.js';
import { EMPTY_ENV } from './evaluate.js';
import { instantiateModel, type ModelDeps } from './models.js';
import { readBool, readChoice, readNumber, readString, type ReadCtx } from './read.js';
import { shapeText } from './shapes.js';
import { Sink } from './sink.js';

/** One experiment field after inheritance: its value plus `field.param` overrides on top. */
export interface FieldEntry {
  value: AstExpr;
  range: SourceRange;
  overrides: Map<string, BoundArg>;
}

export type FieldMap = Map<string, FieldEntry>;

const EXPERIMENT = callable('experiment', 'experiment');

export const TARGET_CODES = namesOf('target') as TargetCode[];
export const LOSSES = namesOf('loss') as LossKind[];
/** The experiment's fields, from the parameter table. */
export const EXPERIMENT_FIELDS: readonly string[] = EXPERIMENT.params.map((p) => p.name);
export type ExperimentField = string;
/** Fields whose value is a call, so `field.param` can override one argument. */
export const CALL_FIELDS: readonly ExperimentField[] = ['model', ...EXPERIMENT.params.filter((p) => p.type === 'call').map((p) => p.name)];

/** Kinds a call field takes when the experiment does not say (`optimizer.lr: 0.1` alone means adam). */
const DEFAULT_KIND: Partial<Record<ExperimentField, string>> = Object.fromEntries(
  EXPERIMENT.params.flatMap((p) => (p.type === 'call' && typeof p.default?.value === 'string' ? [[p.name, p.default.value]] : [])),
);

const optimizerDefaults = (kind: 'adam' | 'adamw') => {
  const e = callable('optimizer', kind);
  return { lr: defaultNumber(e, 'lr'), beta1: defaultNumber(e, 'beta1'), beta2: defaultNumber(e, 'beta2'), eps: defaultNumber(e, 'eps'), weightDecay: defaultNumber(e, 'weight_decay') };
};
const SGD = callable('optimizer', 'sgd');

/** Defaults, from the parameter table: PyTorch's for the optimizers. */
export const EXPERIMENT_DEFAULTS = {
  target: defaultWord(EXPERIMENT, 'target') as TargetCode,
  loss: defaultWord(EXPERIMENT, 'loss') as LossKind,
  batch: defaultNumber(EXPERIMENT, 'batch'),
  epochs: defaultNumber(EXPERIMENT, 'epochs'),
  seed: defaultNumber(EXPERIMENT, 'seed'),
  adam: optimizerDefaults('adam'),
  adamw: optimizerDefaults('adamw'),
  sgd: { lr: defaultNumber(SGD, 'lr'), momentum: defaultNumber(SGD, 'momentum'), nesterov: defaultBoolean(SGD, 'nesterov'), weightDecay: defaultNumber(SGD, 'weight_decay') },
  cosine: { minLr: defaultNumber(callable('schedule', 'cosine'), 'min_lr') },
  /** MNIST's class count (a fact of the data set, not a parameter). */
};

/** For each call-valued field, its kinds and their signatures, from the parameter table. */
export const CALL_SIGNATURES: Record<string, Record<string, Omit<Signature, 'owner'>>> = Object.fromEntries(
  EXPERIMENT.params.flatMap((p) => (p.type === 'call' && p.callKind ? [[p.name, Object.fromEntries(namesOf(p.callKind).map((n) => [n, withoutOwner(signatureOf(callable(p.callKind!, n)))]))]] : [])),
);

function withoutOwner({ owner: _owner, ...rest }: Signature): Omit<Signature, 'owner'> {
  return rest;
}

/** The table entry of a call field's kind (`optimizer`, `sgd`). */
function fieldEntry(field: string, kind: string): CallableEntry {
  return callable(paramOf(EXPERIMENT, field).callKind!, kind);
}

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
  const int = (f: 'batch' | 'epochs' | 'seed') => {
    const e = fields.get(f);
    return e ? readNumber(e.value, f, numOf(EXPERIMENT, f), ctx) : EXPERIMENT_DEFAULTS[f];
  };
  const batch = int('batch');
  const epochs = int('epochs');
  const seed = int('seed');
  const initEntry = fields.get('init');
  const init = initEntry ? readInit(initEntry, ctx) : null;
  const energyEntry = fields.get('energy');
  const energy = energyEntry ? readEnergy(energyEntry, ctx) : null;
  const regEntry = fields.get('regularize');
  const rateReg = regEntry ? readRegularize(regEntry, ctx) : null;
  if (init === undefined || energy === undefined || rateReg === undefined) return undefined;
  if (!model || !data || !normalize || !target || !loss || !optimizer || !schedule || batch === undefined || epochs === undefined || seed === undefined) return undefined;
  if (sink.errorCount !== before) return undefined;
  if (!checkFit(model, data, target, m, fields, sink)) return undefined;
  // Defaults stay out of the IR (absent means pytorch gain 1 and horowitz45_fp32), so
  // writing a default compiles to the same program as leaving it out.
  const isDefaultInit = init !== null && init.scheme === 'pytorch' && init.gain === 1;
  const e: Experiment = { name, model: init && !isDefaultInit ? { ...model, init } : model, data, normalize, target, loss, optimizer, schedule, batch, epochs, seed, range };
  const dflt = DEFAULT_ENERGY_TABLE;
  if (energy && !(energy.name === dflt.name && energy.macPj === dflt.macPj && energy.acPj === dflt.acPj)) e.energy = energy;
  // weight 0 is no regularisation (a sweep's baseline point)
  if (rateReg && rateReg.weight > 0) e.rateReg = rateReg;
  return e;
}

/** The model's output must match the target code's width, and its input the data (MNIST is 1x28x28). */
function checkFit(model: Model, data: DataSpec, target: Experiment['target'], modelEntry: FieldEntry, fields: FieldMap, sink: Sink): boolean {
  const classes = dataClasses(data);
  const needed = targetWidth(classes, target);
  const out = model.outputShape;
  let ok = true;
  if (out.length !== 1 || out[0] !== needed) {
    sink.report('SNN4003', fields.get('target')?.value.range ?? modelEntry.value.range, { model: model.name, actual: shapeText(out), target, needed }, out.length !== 1 ? 'end the model in `flatten -> dense(...)`' : `make the last layer \`dense(${needed})\`, or \`dense(outputs)\` to follow the target code`);
    ok = false;
  }
  const seq = sequenceOf(data);
  if (seq) {
    // One frame per model step: the model's input is one frame, its steps the data's.
    const size = model.input.reduce((a, b) => a * b, 1);
    const frame = seq.stepShape.reduce((a, b) => a * b, 1);
    if (size !== frame || !(model.input.length === 1 || shapeText(model.input) === shapeText(seq.stepShape))) {
      sink.report('SNN4004', modelEntry.value.range, { model: model.name, actual: shapeText(model.input), data: data.kind, expected: `frames of ${shapeText(seq.stepShape)}${seq.stepShape.length > 1 ? ` (or [${frame}])` : ''}` }, `give the model \`input: ${shapeText(seq.stepShape)}\``);
      ok = false;
    }
    if (model.steps !== seq.steps) {
      sink.report('SNN4450', fields.get('data')?.value.range ?? modelEntry.value.range, { model: model.name, actual: model.steps, data: data.kind, expected: seq.steps }, `give the model \`steps: ${seq.steps}\`${data.kind === 'sequential_mnist' ? '' : ` or the data \`steps: ${model.steps}\``}`);
      ok = false;
    }
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
  const classes = dataClasses(data);
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
  const sig = { ...CALL_SIGNATURES[field]![kind]!, owner: `${field} \`${kind}\`` };
  const overridden = new Set(entry.overrides.keys());
  const args = bindArgs(call.args, { ...sig, required: (sig.required ?? []).filter((r) => !overridden.has(r)) }, call.range, ctx.sink);
  for (const [k, v] of entry.overrides) {
    if (![...sig.positional, ...sig.named].includes(k)) ctx.sink.report('SNN2003', v.range, { owner: sig.owner, name: k }, didYouMean(k, [...sig.positional, ...sig.named]));
    else args.set(k, v);
  }
  return { kind, args, call };
}

function readData(entry: FieldEntry, ctx: ReadCtx): DataSpec | undefined {
  const f = fieldArgs('data', entry, ctx, namesOf('data'));
  if (!f) return undefined;
  if (f.kind === 'mnist') return { kind: 'mnist' };
  if (f.kind === 'sequential_mnist') return { kind: 'sequential_mnist' };
  const path = (n: string) => {
    const a = f.args.get(n);
    if (!a) return undefined;
    const s = readString(a.value, n, ctx);
    return s === undefined ? undefined : resolveRelative(a.value.range.file, s);
  };
  if (f.kind === 'shd' || f.kind === 'nmnist') {
    const entry = fieldEntry('data', f.kind);
    const num = (n: string) => {
      const a = f.args.get(n);
      return a ? readNumber(a.value, n, numOf(entry, n), ctx) : defaultNumber(entry, n);
    };
    const train = path('train');
    const test = path('test');
    const steps = num('steps');
    const duration = num('duration');
    if (!train || !test || steps === undefined || duration === undefined) return undefined;
    return f.kind === 'shd' ? { kind: 'shd', train, test, steps, duration, units: SHD_DEFAULTS.units, classes: SHD_DEFAULTS.classes } : { kind: 'nmnist', train, test, steps, duration };
  }
  const trainImages = path('train_images');
  const trainLabels = path('train_labels');
  const testImages = path('test_images');
  const testLabels = path('test_labels');
  const c = f.args.get('classes');
  const classes = c ? readNumber(c.value, 'classes', numOf(fieldEntry('data', 'idx'), 'classes'), ctx) : defaultNumber(fieldEntry('data', 'idx'), 'classes');
  if (!trainImages || !trainLabels || !testImages || !testLabels || classes === undefined) return undefined;
  return { kind: 'idx', trainImages, trainLabels, testImages, testLabels, classes };
}

function readNormalize(entry: FieldEntry, ctx: ReadCtx): Normalize | undefined {
  const f = fieldArgs('normalize', entry, ctx, namesOf('normalize'));
  if (!f) return undefined;
  if (f.kind === 'unit') return { kind: 'unit' };
  const m = f.args.get('mean');
  const s = f.args.get('std');
  const table = fieldEntry('normalize', 'standard');
  const mean = m && readNumber(m.value, 'mean', numOf(table, 'mean'), ctx);
  const std = s && readNumber(s.value, 'std', numOf(table, 'std'), ctx);
  return mean === undefined || std === undefined ? undefined : { kind: 'standard', mean, std };
}

function readOptimizer(entry: FieldEntry, ctx: ReadCtx): Optimizer | undefined {
  const f = fieldArgs('optimizer', entry, ctx, namesOf('optimizer'));
  if (!f) return undefined;
  const table = fieldEntry('optimizer', f.kind);
  const num = (n: string, dflt: number) => {
    const a = f.args.get(n);
    return a ? readNumber(a.value, n, numOf(table, n), ctx) : dflt;
  };
  if (f.kind === 'sgd') {
    const d = EXPERIMENT_DEFAULTS.sgd;
    const lr = num('lr', d.lr);
    const momentum = num('momentum', d.momentum);
    const wd = num('weight_decay', d.weightDecay);
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
  const lr = num('lr', d.lr);
  const beta1 = num('beta1', d.beta1);
  const beta2 = num('beta2', d.beta2);
  const eps = num('eps', d.eps);
  const weightDecay = num('weight_decay', d.weightDecay);
  if (lr === undefined || beta1 === undefined || beta2 === undefined || eps === undefined || weightDecay === undefined) return undefined;
  return { kind, lr, beta1, beta2, eps, weightDecay };
}

function readSchedule(entry: FieldEntry, ctx: ReadCtx): Schedule | undefined {
  const f = fieldArgs('schedule', entry, ctx, namesOf('schedule'));
  if (!f) return undefined;
  if (f.kind === 'constant') return { kind: 'constant' };
  const a = f.args.get('min_lr');
  const minLr = a ? readNumber(a.value, 'min_lr', numOf(fieldEntry('schedule', 'cosine'), 'min_lr'), ctx) : EXPERIMENT_DEFAULTS.cosine.minLr;
  return minLr === undefined ? undefined : { kind: 'cosine', minLr };
}

/** `init: kaiming(gain: 2)`: the model's kernel initialisation. */
function readInit(entry: FieldEntry, ctx: ReadCtx): WeightInit | undefined {
  const f = fieldArgs('init', entry, ctx, namesOf('init'));
  if (!f) return undefined;
  const scheme = f.kind as WeightInit['scheme'];
  const table = fieldEntry('init', scheme);
  const g = f.args.get('gain');
  const gain = g ? readNumber(g.value, 'gain', numOf(table, 'gain'), ctx) : defaultNumber(table, 'gain');
  return gain === undefined ? undefined : { scheme, gain };
}

/** `energy: horowitz45_int8` or `energy: custom(mac: 3.1, ac: 0.1)` (picojoules per operation). */
function readEnergy(entry: FieldEntry, ctx: ReadCtx): EnergyTable | undefined {
  const f = fieldArgs('energy', entry, ctx, namesOf('energy'));
  if (!f) return undefined;
  if (f.kind !== 'custom') return { ...ENERGY_TABLES[f.kind as keyof typeof ENERGY_TABLES] };
  const table = fieldEntry('energy', 'custom');
  const m = f.args.get('mac');
  const a = f.args.get('ac');
  const macPj = m && readNumber(m.value, 'mac', numOf(table, 'mac'), ctx);
  const acPj = a && readNumber(a.value, 'ac', numOf(table, 'ac'), ctx);
  return macPj === undefined || acPj === undefined ? undefined : { name: 'custom', macPj, acPj };
}

/** `regularize: firing_rate(target: 0.05, weight: 0.1)`: rate in spikes per neuron per step, loss weight. */
function readRegularize(entry: FieldEntry, ctx: ReadCtx): RateRegularizer | undefined {
  const f = fieldArgs('regularize', entry, ctx, namesOf('regularize'));
  if (!f) return undefined;
  const table = fieldEntry('regularize', 'firing_rate');
  const t = f.args.get('target');
  const w = f.args.get('weight');
  const target = t ? readNumber(t.value, 'target', numOf(table, 'target'), ctx) : defaultNumber(table, 'target');
  const weight = w && readNumber(w.value, 'weight', numOf(table, 'weight'), ctx);
  return target === undefined || weight === undefined ? undefined : { target, weight };
}

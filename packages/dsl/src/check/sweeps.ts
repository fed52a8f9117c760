import { didYouMean, type Experiment, type SourceRange, type Sweep, type SweepAxis, type SweepPoint, type SweepValue } from '@snnc/ir';
import type { AstExpr, Field, SweepStatement } from '../ast.js';
import { asCall } from './args.js';
import { describeValue, unwrapParens } from './describe.js';
import { evalConst, EMPTY_ENV } from './evaluate.js';
import { applyField, CALL_FIELDS, CALL_SIGNATURES, EXPERIMENT_FIELDS, resolveExperiment, type ExperimentDeps, type FieldMap } from './experiments.js';
import { Sink } from './sink.js';

interface Axis {
  field: Field;
  path: string;
  values: { ast: AstExpr; value: SweepValue }[];
}

/** Grids larger than this are almost certainly a typo (and would take hours to run). */
const MAX_POINTS = 10_000;

/**
 * Expands a sweep into one complete experiment per grid point (first axis slowest). Each point
 * is resolved like a hand-written experiment, so a model parameter re-instantiates the model
 * and re-infers its shapes; a point that fails is reported on the axis value that caused it.
 */
export function expandSweep(decl: SweepStatement, baseFields: FieldMap, deps: ExperimentDeps): Sweep | undefined {
  const sink = deps.sink;
  const before = sink.errorCount;
  if (decl.axes.length === 0) {
    sink.report('SNN6003', decl.name.range, { path: decl.name.name, reason: 'the sweep has no axes; add one such as `batch: [32, 64]`' });
    return undefined;
  }
  const axes: Axis[] = [];
  const seen = new Set<string>();
  for (const f of decl.axes) {
    const path = f.path.map((p) => p.name).join('.');
    if (path === '' || f.path.some((p) => p.name === '')) continue;
    if (seen.has(path)) {
      sink.report('SNN2005', f.path[0]!.range, { name: path });
      continue;
    }
    seen.add(path);
    if (!checkPath(f, path, baseFields, deps)) continue;
    const values = readValues(f, path, sink);
    if (values) axes.push({ field: f, path, values });
  }
  if (sink.errorCount !== before) return undefined;
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_POINTS) {
    sink.report('SNN6005', decl.name.range, { point: 'count', message: `the grid has ${total} points; the limit is ${MAX_POINTS}` });
    return undefined;
  }
  const points: SweepPoint[] = [];
  const reported = new Set<string>();
  for (let i = 0; i < total; i++) {
    // Mixed-radix index: the last axis varies fastest.
    const choice: number[] = [];
    let rest = i;
    for (let a = axes.length - 1; a >= 0; a--) {
      const n = axes[a]!.values.length;
      choice[a] = rest % n;
      rest = Math.floor(rest / n);
    }
    const fields: FieldMap = new Map([...baseFields].map(([k, v]) => [k, { ...v, overrides: new Map(v.overrides) }]));
    const values: Record<string, SweepValue> = {};
    const local = new Sink();
    axes.forEach((axis, a) => {
      const v = axis.values[choice[a]!]!;
      values[axis.path] = v.value;
      applyField(fields, axis.field.path, v.ast, v.ast.range, local, decl.base.name);
    });
    const id = axes.map((axis) => `${axis.path}=${safe(values[axis.path]!)}`).join(',');
    const experiment: Experiment | undefined = resolveExperiment(`${decl.name.name}/${id}`, decl.name.range, fields, decl.range, { ...deps, sink: local });
    if (experiment && local.errorCount === 0) {
      points.push({ id, values, experiment });
      continue;
    }
    for (const d of local.diagnostics) {
      if (d.severity !== 'error') continue;
      const at = blame(axes, choice, d.range);
      const key = `${at.start}:${d.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const same = d.range.file === at.file && d.range.start === at.start;
      sink.report('SNN6005', at, { point: id, message: d.message }, d.hint, same ? [] : [{ message: `the error (${d.code}) is here`, range: d.range }]);
    }
  }
  if (sink.errorCount !== before) return undefined;
  const irAxes: SweepAxis[] = axes.map((a) => ({ path: a.path, values: a.values.map((v) => v.value), range: a.field.range }));
  return { name: decl.name.name, base: decl.base.name, axes: irAxes, points, range: decl.range };
}

/** The axis value a failing point is reported on: the one the error points into, else a model axis, else the first. */
function blame(axes: Axis[], choice: number[], range: SourceRange): SourceRange {
  for (let a = 0; a < axes.length; a++) {
    const v = axes[a]!.values[choice[a]!]!.ast.range;
    if (v.file === range.file && range.start >= v.start && range.end <= v.end) return v;
  }
  const modelAxis = axes.findIndex((a) => a.path === 'model' || a.path.startsWith('model.'));
  const a = modelAxis >= 0 ? modelAxis : 0;
  return axes[a]!.values[choice[a]!]!.ast.range;
}

function checkPath(f: Field, path: string, base: FieldMap, deps: ExperimentDeps): boolean {
  const sink = deps.sink;
  const top = f.path[0]!;
  if (!(EXPERIMENT_FIELDS as readonly string[]).includes(top.name)) {
    sink.report('SNN6003', top.range, { path, reason: `experiments have no field \`${top.name}\`` }, didYouMean(top.name, EXPERIMENT_FIELDS));
    return false;
  }
  if (f.path.length === 1) return true;
  if (f.path.length > 2 || !(CALL_FIELDS as readonly string[]).includes(top.name)) {
    sink.report('SNN6003', f.range, { path, reason: `\`${top.name}\` has no parts to sweep` });
    return false;
  }
  const param = f.path[1]!;
  const entry = base.get(top.name);
  const call = entry && asCall(entry.value);
  if (top.name === 'model') {
    const decl = call && deps.scope.get(call.callee.name, 'model');
    if (!decl) return false; // the base experiment reports its model
    const names = decl.params.map((p) => p.name.name);
    if (!names.includes(param.name)) {
      sink.report('SNN6003', param.range, { path, reason: `model \`${decl.name.name}\` has no parameter \`${param.name}\`` }, didYouMean(param.name, names));
      return false;
    }
    return true;
  }
  const kinds = CALL_SIGNATURES[top.name]!;
  const kind = call?.callee.name ?? Object.keys(kinds)[0]!;
  const sig = kinds[kind];
  if (!sig) return true; // an unknown kind is reported by the base experiment
  const names = [...sig.positional, ...sig.named];
  if (!names.includes(param.name)) {
    sink.report('SNN6003', param.range, { path, reason: `${top.name} \`${kind}\` has no parameter \`${param.name}\`` }, didYouMean(param.name, names));
    return false;
  }
  return true;
}

/** Axis values are numbers, words (`onehot`, `true`) or strings. */
function readValues(f: Field, path: string, sink: Sink): Axis['values'] | undefined {
  const list = unwrapParens(f.value);
  if (list.kind !== 'list') {
    sink.report('SNN3001', f.value.range, { name: path, expected: 'a list of values `[a, b, ...]`', actual: describeValue(f.value) });
    return undefined;
  }
  if (list.items.length === 0) {
    sink.report('SNN6004', f.value.range, { path });
    return undefined;
  }
  const out: Axis['values'] = [];
  let ok = true;
  for (const item of list.items) {
    const x = unwrapParens(item);
    if (x.kind === 'ident') out.push({ ast: item, value: x.name === 'true' ? true : x.name === 'false' ? false : x.name });
    else if (x.kind === 'string') out.push({ ast: item, value: x.value });
    else if (x.kind === 'call') {
      sink.report('SNN3001', item.range, { name: path, expected: 'a number, a word or a string (set arguments with their own axis, like `optimizer.lr`)', actual: describeValue(item) });
      ok = false;
    } else {
      const q = evalConst(item, EMPTY_ENV, sink, path);
      if (q) out.push({ ast: item, value: q.value });
      else ok = false;
    }
  }
  return ok ? out : undefined;
}

/** Point ids name directories: keep them to `[A-Za-z0-9_.+-]`. */
function safe(v: SweepValue): string {
  return String(v).replace(/[^A-Za-z0-9_.+-]/g, '_');
}

import {
  evalScalar,
  freeVariables,
  PER_NEURON,
  nonLinearity,
  substitute,
  type EquationNeuron,
  type Expr,
  type IntegrationScheme,
  type NeuronAssignment,
  type NeuronEquation,
  type SourceRange,
  type Surrogate,
} from '@snnc/ir';
import type { AstExpr, CallExpr, NeuronDefinition, NeuronStatement } from '../ast.js';
import { asIdent, bindArgs } from './args.js';
import { fmtNumber } from './describe.js';
import { evalConst, EMPTY_ENV } from './evaluate.js';
import { NEURON_DEFAULTS, readSurrogate } from './neurons.js';
import { dimName, lowerNeuronExpr, type Dim, type NeuronName, type NeuronScope } from './neuron-expr.js';
import { readBool, readNumber, type ReadCtx } from './read.js';
import type { Sink } from './sink.js';

/** One parameter of a neuron definition, for the checks and the parameter table. */
export interface NeuronParam {
  name: string;
  /** Default value; times in seconds. */
  default: number;
  /** 1 a time, -1 a rate, 0 a plain number. */
  dim: Dim;
  /** `time` / `rate` / null, as the parameter table names units. */
  unit: 'time' | 'rate' | null;
  /** The trailing `//` comment of the parameter, when the definition has one. */
  doc?: string;
  range: SourceRange;
}

/** A definition after its checks: what instantiating it needs. */
export interface CheckedNeuron {
  name: string;
  params: NeuronParam[];
  input: string;
  state: { name: string; init: Expr }[];
  trainable: { name: string; init: Expr }[];
  scheme: IntegrationScheme;
  equations: NeuronEquation[];
  spike: EquationNeuron['spike'];
  reset: NeuronAssignment[];
  /** Refractory period as an expression of the parameters, and whether it is a time. */
  refractory: { expr: Expr; dim: Dim; range: SourceRange } | null;
  surrogate: Surrogate;
}

/** Options every definition takes at the call, besides its parameters. */
export const NEURON_CALL_OPTIONS = ['dt', 'surrogate', 'detach_reset'] as const;

/** The step of continuous-time neurons when a call does not give `dt`: 1 ms. */
export const DEFAULT_NEURON_DT = 1e-3;

const RESERVED: Readonly<Record<string, string>> = {
  t: 'time is not a variable: neurons are time-invariant',
  dt: 'it is the step, given at the call (`dt: 0.1ms`)',
  surrogate: 'it is given at the call or with `surrogate ...`',
  detach_reset: 'it is an option of every spiking neuron',
};

/** Checks a `neuron NAME(...) { ... }` definition; undefined after reporting errors. */
export function checkNeuronDefinition(decl: NeuronStatement & { definition: NeuronDefinition }, sink: Sink, readCtx: Omit<ReadCtx, 'sink'> = { env: EMPTY_ENV }): CheckedNeuron | undefined {
  const def = decl.definition;
  const neuron = decl.name.name;
  const before = sink.errorCount;
  const names = new Map<string, NeuronName>();
  const where = new Map<string, string>();
  const declare = (name: string, kind: NeuronName, what: string, range: SourceRange): boolean => {
    if (name === '') return false;
    if (RESERVED[name] !== undefined) {
      sink.report('SNN2103', range, { name, what, reason: RESERVED[name]! });
      return false;
    }
    if (names.has(name)) {
      sink.report('SNN2102', range, { name, what: `a definition as ${where.get(name)}`, neuron });
      return false;
    }
    names.set(name, kind);
    where.set(name, what);
    return true;
  };

  const params: NeuronParam[] = [];
  for (const p of def.params) {
    const q = evalConst(p.value, EMPTY_ENV, sink, p.name.name);
    if (!q) continue;
    const dim = q.dim === 'time' ? 1 : q.dim === 'rate' ? -1 : 0;
    if (declare(p.name.name, { kind: 'param', dim }, 'a parameter', p.name.range)) params.push({ name: p.name.name, default: q.value, dim, unit: q.dim, range: p.name.range });
  }

  const inputs = def.items.filter((i) => i.kind === 'input');
  for (const extra of inputs.slice(1)) sink.report('SNN5102', extra.range, { message: 'a neuron has one input; it is already named above' });
  const inputItem = inputs[0];
  const input = inputItem?.kind === 'input' ? inputItem.name.name : 'x';
  declare(input, { kind: 'input' }, 'the input', inputItem?.range ?? decl.name.range);

  // Trainable scalars start from an expression of the parameters; equations read them like parameters.
  const paramNames = new Map<string, NeuronName>([...names].filter(([, k]) => k.kind === 'param'));
  const trainable: { name: string; init: Expr }[] = [];
  for (const it of def.items) {
    if (it.kind !== 'trainable') continue;
    const init = lowerNeuronExpr(it.init, { neuron, names: paramNames, read: new Set() }, sink);
    if (init && declare(it.name.name, { kind: 'param', dim: init.dim }, 'a trainable value', it.name.range)) trainable.push({ name: it.name.name, init: init.expr });
  }

  // States in order: an initial value reads parameters and the states above it.
  const scope: NeuronScope = { neuron, names, read: new Set() };
  const state: { name: string; init: Expr }[] = [];
  const stateRange = new Map<string, SourceRange>();
  const initNames = new Map<string, NeuronName>([...names].filter(([, k]) => k.kind === 'param'));
  for (const it of def.items) {
    if (it.kind !== 'state') continue;
    const init = lowerNeuronExpr(it.init, { neuron, names: initNames, read: new Set() }, sink);
    if (init && init.dim !== 0) sink.report('SNN3100', it.init.range, { what: `the initial value of \`${it.name.name}\``, expected: 'a plain number', actual: dimName(init.dim) });
    if (!declare(it.name.name, { kind: 'state' }, 'a state variable', it.name.range)) continue;
    initNames.set(it.name.name, { kind: 'state' });
    stateRange.set(it.name.name, it.name.range);
    if (init) state.push({ name: it.name.name, init: init.expr });
  }

  const assigned = new Set<string>();
  const targetOk = (target: { name: string; range: SourceRange }, verb: string): boolean => {
    const k = names.get(target.name);
    if (k?.kind === 'state') return true;
    if (target.name === '') return false;
    if (k) sink.report('SNN2100', target.range, { name: target.name, what: k.kind === 'param' ? 'a parameter' : 'the input', neuron, verb });
    else sink.report('SNN2001', target.range, { what: `state variable of neuron \`${neuron}\``, name: target.name }, undefined);
    return false;
  };

  const equations: NeuronEquation[] = [];
  const updated = new Map<string, 'ode' | 'assign'>();
  let sawOde: SourceRange | undefined;
  let sawUpdate: SourceRange | undefined;
  let spike: EquationNeuron['spike'] = null;
  let reset: NeuronAssignment[] = [];
  let refractory: CheckedNeuron['refractory'] = null;
  let surrogate: Surrogate = NEURON_DEFAULTS.surrogate;
  let scheme: { value: IntegrationScheme; range: SourceRange } | undefined;
  const once = new Set<string>();
  const single = (kind: string, range: SourceRange): boolean => {
    if (once.has(kind)) {
      sink.report('SNN5102', range, { message: `a neuron has one \`${kind}\` line` });
      return false;
    }
    once.add(kind);
    return true;
  };

  for (const it of def.items) {
    switch (it.kind) {
      case 'input':
      case 'state':
      case 'trainable':
        break;
      case 'ode':
      case 'update': {
        const form = it.kind === 'ode' ? 'ode' : 'assign';
        if (form === 'ode') sawOde ??= it.range;
        else sawUpdate ??= it.range;
        if (!targetOk(it.target, form === 'ode' ? 'given an equation' : 'updated')) break;
        const prev = updated.get(it.target.name);
        // A discrete neuron may update a state in several ordered steps; an ODE is one equation.
        if (prev === 'ode' || (prev !== undefined && form === 'ode')) {
          sink.report('SNN2102', it.target.range, { name: it.target.name, what: 'an equation', neuron });
          break;
        }
        updated.set(it.target.name, form);
        const rhsAst = it.kind === 'ode' ? it.rhs : it.value;
        const rhs = lowerNeuronExpr(rhsAst, scope, sink);
        if (!rhs) break;
        const want = form === 'ode' ? -1 : 0;
        if (rhs.dim !== want) {
          const what = form === 'ode' ? `\`d${it.target.name}/dt\`` : `the update of \`${it.target.name}\``;
          const hint = form === 'ode' && rhs.dim === 0 ? 'divide by a time constant or a unit, as in `(-v + I) / tau` or `/ 1ms`' : undefined;
          sink.report('SNN3100', rhsAst.range, { what, expected: dimName(want), actual: dimName(rhs.dim) }, hint);
          break;
        }
        assigned.add(it.target.name);
        equations.push({ target: it.target.name, form, rhs: it.kind === 'update' ? compound(it.target.name, it.op, rhs.expr) : rhs.expr });
        break;
      }
      case 'spike': {
        if (!single('spike', it.range)) break;
        spike = readCondition(it.condition, scope, sink);
        reset = [];
        for (const a of it.reset) {
          if (!targetOk(a.target, 'reset')) continue;
          const v = lowerNeuronExpr(a.value, scope, sink);
          if (!v) continue;
          if (v.dim !== 0) {
            sink.report('SNN3100', a.value.range, { what: `the reset of \`${a.target.name}\``, expected: 'a plain number', actual: dimName(v.dim) });
            continue;
          }
          assigned.add(a.target.name);
          reset.push({ target: a.target.name, value: compound(a.target.name, a.op, v.expr) });
        }
        break;
      }
      case 'refractory': {
        if (!single('refractory', it.range)) break;
        const paramsOnly: NeuronScope = { neuron, names: new Map([...names].filter(([, k]) => k.kind === 'param')), read: scope.read };
        const v = lowerNeuronExpr(it.value, paramsOnly, sink);
        if (!v) break;
        if (v.dim !== 0 && v.dim !== 1) {
          sink.report('SNN3100', it.value.range, { what: 'the refractory period', expected: 'a time (`2ms`) or a whole number of steps', actual: dimName(v.dim) });
          break;
        }
        refractory = { expr: v.expr, dim: v.dim, range: it.value.range };
        break;
      }
      case 'surrogate': {
        if (!single('surrogate', it.range)) break;
        const s = readSurrogate(it.value, { sink, ...readCtx });
        if (s) surrogate = s;
        break;
      }
      case 'integrate': {
        if (!single('integrate', it.range)) break;
        const v = it.scheme.name;
        if (v === 'euler' || v === 'exact' || v === 'discrete') scheme = { value: v, range: it.scheme.range };
        else if (v !== '') sink.report('SNN3003', it.scheme.range, { name: 'integrate', choices: '`euler`, `exact`, `discrete`', value: v });
        break;
      }
      default:
        it satisfies never;
    }
  }

  if (sawOde && sawUpdate) {
    sink.report('SNN5100', sawUpdate, { message: 'a neuron is either continuous (`dv/dt = ...`) or discrete (`v = ...` per step), not both' }, 'write the discrete update as an equation, or the equation as a per-step update');
  }
  const chosen: IntegrationScheme = scheme?.value ?? (sawOde ? 'euler' : 'discrete');
  if (scheme && scheme.value === 'discrete' && sawOde) sink.report('SNN5100', scheme.range, { message: '`integrate discrete` runs `v = ...` updates, but this neuron has `dX/dt` equations; use `euler` or `exact`' });
  if (scheme && scheme.value !== 'discrete' && sawUpdate && !sawOde) sink.report('SNN5100', scheme.range, { message: `\`integrate ${scheme.value}\` solves \`dX/dt\` equations, but this neuron has per-step updates; use \`discrete\`` });
  const learnedInExact = chosen === 'exact' ? trainable.find((t) => equations.some((q) => freeVariables(q.rhs).has(t.name))) : undefined;
  if (learnedInExact) sink.report('SNN5100', scheme!.range, { message: `\`integrate exact\` fixes its propagator when the network is built, so the dynamics cannot read the trainable \`${learnedInExact.name}\`` }, 'use `integrate euler`');
  if (chosen === 'exact' && sink.errorCount === before) {
    const why = nonLinearity({ equations, state, input, params: Object.fromEntries(params.map((p) => [p.name, p.default])) });
    if (why) sink.report('SNN5100', scheme!.range, { message: `\`integrate exact\` needs linear dynamics with constant coefficients: ${why}` }, 'use `integrate euler`');
  }
  if (refractory && !spike) sink.report('SNN5102', refractory.range, { message: 'a refractory period needs a `spike when ...` rule' });

  // Warnings only for a definition without errors: a failed equation leaves its state "unassigned".
  if (sink.errorCount !== before) return undefined;
  for (const s of state) {
    if (!assigned.has(s.name)) sink.report('SNN2101', stateRange.get(s.name)!, { name: s.name, neuron });
    else if (!scope.read.has(s.name) && state[0]?.name !== s.name) sink.report('SNN2009', stateRange.get(s.name)!, { what: 'state variable', name: s.name });
  }
  if (state.length === 0 && sink.errorCount === before) sink.report('SNN5102', decl.name.range, { message: `neuron \`${neuron}\` has no state: declare one, as in \`state v = 0\`` });
  if (!scope.read.has(input) && inputItem && sink.errorCount === before) sink.report('SNN2009', inputItem.name.range, { what: 'input', name: input });

  if (sink.errorCount !== before) return undefined;
  return { name: neuron, params, input, state, trainable, scheme: chosen, equations, spike, reset, refractory, surrogate };
}

/** `u += d` as `u = u + d`. */
function compound(target: string, op: '=' | '+=' | '-=', value: Expr): Expr {
  if (op === '=') return value;
  return { kind: 'binary', op: op === '+=' ? '+' : '-', left: { kind: 'var', name: target }, right: value };
}

/** `v >= threshold`, `v > 30`, or the mirrored `threshold <= v`. */
function readCondition(e: AstExpr, scope: NeuronScope, sink: Sink): EquationNeuron['spike'] {
  let x = e;
  while (x.kind === 'paren') x = x.inner;
  if (x.kind !== 'binary' || !['>=', '>', '<=', '<'].includes(x.op)) {
    sink.report('SNN5101', e.range, { actual: x.kind === 'binary' ? `\`${x.op}\`` : 'no comparison' });
    return null;
  }
  const l = lowerNeuronExpr(x.left, scope, sink);
  const r = lowerNeuronExpr(x.right, scope, sink);
  if (!l || !r) return null;
  if (l.dim !== r.dim) {
    sink.report('SNN3101', x.range, { left: dimName(l.dim), right: dimName(r.dim), op: x.op });
    return null;
  }
  const mirrored = x.op === '<=' || x.op === '<';
  return { left: mirrored ? r.expr : l.expr, op: x.op === '>=' || x.op === '<=' ? '>=' : '>', right: mirrored ? l.expr : r.expr };
}

/**
 * A definition with the call's values: `Izhikevich(a: 0.02, d: 2)`. Parameters are named
 * only; `dt`, `surrogate` and `detach_reset` are options every definition takes.
 */
export function instantiateNeuron(def: CheckedNeuron, call: CallExpr | undefined, name: string, range: SourceRange, ctx: ReadCtx, perNeuronAllowed = true): EquationNeuron | undefined {
  const before = ctx.sink.errorCount;
  const args = call ? bindArgs(call.args, { owner: `neuron \`${def.name}\``, positional: [], named: [...def.params.map((p) => p.name), ...NEURON_CALL_OPTIONS] }, call.range, ctx.sink) : new Map();
  const params: Record<string, number> = {};
  const perNeuron: string[] = [];
  for (const p of def.params) {
    const a = args.get(p.name);
    if (!a) {
      params[p.name] = p.default;
      continue;
    }
    if (asIdent(a.value)?.name === PER_NEURON && !ctx.env.names.has(PER_NEURON)) {
      // one value per neuron, from the weights file (`<layer id>/<name>`); the default seeds it
      const why = !perNeuronAllowed
        ? 'an ensemble takes one value per parameter'
        : def.refractory && freeVariables(def.refractory.expr).has(p.name)
          ? 'the refractory period reads it'
          : def.trainable.some((t) => freeVariables(t.init).has(p.name))
            ? `the trainable \`${def.trainable.find((t) => freeVariables(t.init).has(p.name))!.name}\` starts from it`
            : null;
      if (why) ctx.sink.report('SNN3600', a.value.range, { name: p.name, reason: why });
      else perNeuron.push(p.name);
      params[p.name] = p.default;
      continue;
    }
    const v = readNumber(a.value, p.name, { unit: p.dim === 1 ? 'time' : p.dim === -1 ? 'rate' : 'none' }, ctx);
    if (v !== undefined) params[p.name] = v;
  }
  const dtArg = args.get('dt');
  const dt = dtArg ? readNumber(dtArg.value, 'dt', { unit: 'time', min: 0, minOpen: true }, ctx) : DEFAULT_NEURON_DT;
  const s = args.get('surrogate');
  const surrogate = s ? readSurrogate(s.value, ctx) : def.surrogate;
  const dr = args.get('detach_reset');
  const detachReset = dr ? readBool(dr.value, 'detach_reset', ctx) : NEURON_DEFAULTS.detachReset;
  if (ctx.sink.errorCount !== before || dt === undefined || !surrogate || detachReset === undefined) return undefined;
  // linearity was checked at the defaults; a parameter may change it (`v ^ p` with p: 2)
  const why = def.scheme === 'exact' ? nonLinearity({ equations: def.equations, state: def.state, input: def.input, params }) : null;
  if (why) {
    ctx.sink.report('SNN5100', call?.range ?? range, { message: `with these parameters \`integrate exact\` of \`${def.name}\` has no exact solution: ${why}` }, 'use `integrate euler` in the definition');
    return undefined;
  }
  let refractory: EquationNeuron['refractory'] = null;
  if (def.refractory) {
    const v = evalScalar(substitute(def.refractory.expr, params), {});
    const steps = def.refractory.dim === 0;
    if (!Number.isFinite(v) || v < 0 || (steps && !Number.isInteger(v))) {
      ctx.sink.report('SNN3002', call?.range ?? def.refractory.range, { name: 'refractory', constraint: steps ? 'a whole number of steps >= 0' : 'a time >= 0', value: fmtNumber(v) });
      return undefined;
    }
    if (v > 0) refractory = { unit: steps ? 'steps' : 'seconds', value: v };
  }
  for (const t of def.trainable) {
    const v = evalScalar(substitute(t.init, params), {});
    if (!Number.isFinite(v)) {
      ctx.sink.report('SNN3002', call?.range ?? range, { name: t.name, constraint: 'a finite starting value (check the parameters it is computed from)', value: fmtNumber(v) });
      return undefined;
    }
  }
  const out: EquationNeuron = {
    kind: 'equations',
    name,
    definition: def.name,
    params,
    input: def.input,
    state: def.state,
    scheme: def.scheme,
    dt,
    equations: def.equations,
    spike: def.spike,
    reset: def.reset,
    refractory,
    surrogate,
    detachReset,
    range,
  };
  if (def.trainable.length > 0) out.trainable = def.trainable;
  if (perNeuron.length > 0) out.perNeuron = perNeuron;
  return out;
}

/**
 * Each parameter of a checked definition, then the call options, for the parameter table
 * (helper H2's catalog): name, default, unit and a one-line doc.
 */
export function neuronParameters(def: CheckedNeuron): { name: string; default: number | boolean | string; unit: 'time' | 'rate' | null; doc: string }[] {
  const unitWord = (p: NeuronParam) => (p.unit === 'time' ? 'seconds' : p.unit === 'rate' ? 'Hz' : '');
  return [
    ...def.params.map((p) => ({ name: p.name, default: p.default, unit: p.unit, doc: p.doc ?? `parameter of \`${def.name}\`${unitWord(p) ? ` (${unitWord(p)})` : ''}` })),
    { name: 'dt', default: DEFAULT_NEURON_DT, unit: 'time' as const, doc: 'simulation step of continuous-time dynamics' },
    { name: 'surrogate', default: `${def.surrogate.kind}(alpha: ${def.surrogate.alpha})`, unit: null, doc: 'surrogate gradient of the spike' },
    { name: 'detach_reset', default: false, unit: null, doc: 'cut the reset out of the backward pass' },
  ];
}

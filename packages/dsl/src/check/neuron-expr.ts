import { assertNever, BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, didYouMean, isBuiltinFunction, type Expr } from '@snnc/ir';
import type { AstExpr } from '../ast.js';
import { UNITS } from '../units.js';
import { describeValue } from './describe.js';
import type { Sink } from './sink.js';

/**
 * Neuron equations as IR expressions, with their physical dimension checked. Only time carries
 * a unit in `.snn`, so a dimension is the power of time: 0 plain (membrane values, currents in
 * the model's own units), 1 a time, -1 a rate. `dv/dt` must be a rate, so a Brian2-style
 * `dv/dt = (-v + I) / tau` checks, and a forgotten `/ tau` does not.
 */
export type Dim = number;

/** What a name in a neuron definition is. */
export type NeuronName = { kind: 'param'; dim: Dim } | { kind: 'state' } | { kind: 'input' };

export interface NeuronScope {
  neuron: string;
  names: ReadonlyMap<string, NeuronName>;
  /** Names read, for the unused-state check. */
  read: Set<string>;
}

export function dimName(d: Dim): string {
  if (d === 0) return 'a plain number';
  if (d === 1) return 'a time';
  if (d === -1) return 'a rate (1/time)';
  return d > 0 ? `time^${d}` : `1/time^${-d}`;
}

export interface Lowered {
  expr: Expr;
  dim: Dim;
}

/** Lowers and dimension-checks one expression; reports and returns undefined on mistakes. */
export function lowerNeuronExpr(e: AstExpr, scope: NeuronScope, sink: Sink): Lowered | undefined {
  switch (e.kind) {
    case 'number': {
      if (Number.isNaN(e.value)) return undefined;
      if (e.unit === undefined) return { expr: { kind: 'num', value: e.value }, dim: 0 };
      const u = UNITS[e.unit];
      if (!u) return undefined; // reported by the parser
      return { expr: { kind: 'num', value: e.value * u.scale }, dim: u.dimension === 'time' ? 1 : -1 };
    }
    case 'ident':
      return lowerName(e, scope, sink);
    case 'paren':
      return lowerNeuronExpr(e.inner, scope, sink);
    case 'unary': {
      const a = lowerNeuronExpr(e.arg, scope, sink);
      if (!a) return undefined;
      return { expr: { kind: 'unary', op: e.op, arg: a.expr }, dim: e.op === '!' ? 0 : a.dim };
    }
    case 'binary':
      return lowerBinary(e, scope, sink);
    case 'call':
      return lowerCall(e, scope, sink);
    case 'string':
    case 'list':
    case 'map':
    case 'index':
    case 'member':
      sink.report('SNN5102', e.range, { message: `a neuron equation takes numbers, names and functions, not ${describeValue(e)}` });
      return undefined;
    default:
      return assertNever(e);
  }
}

function lowerName(e: Extract<AstExpr, { kind: 'ident' }>, scope: NeuronScope, sink: Sink): Lowered | undefined {
  const n = scope.names.get(e.name);
  if (n) {
    scope.read.add(e.name);
    return { expr: { kind: 'var', name: e.name }, dim: n.kind === 'param' ? n.dim : 0 };
  }
  if (Object.prototype.hasOwnProperty.call(BUILTIN_CONSTANTS, e.name)) return { expr: { kind: 'num', value: BUILTIN_CONSTANTS[e.name as keyof typeof BUILTIN_CONSTANTS] }, dim: 0 };
  // A bare unit reads as one of it, as in Brian2: `(-v + I) / ms`
  const u = UNITS[e.name];
  if (u) return { expr: { kind: 'num', value: u.scale }, dim: u.dimension === 'time' ? 1 : -1 };
  if (e.name === '') return undefined;
  const what = isBuiltinFunction(e.name) ? 'name (a function needs parentheses)' : `name in neuron \`${scope.neuron}\``;
  sink.report('SNN2001', e.range, { what, name: e.name }, didYouMean(e.name, [...scope.names.keys(), 'pi', 'e']));
  return undefined;
}

function lowerBinary(e: Extract<AstExpr, { kind: 'binary' }>, scope: NeuronScope, sink: Sink): Lowered | undefined {
  const a = lowerNeuronExpr(e.left, scope, sink);
  const b = lowerNeuronExpr(e.right, scope, sink);
  if (!a || !b) return undefined;
  const expr: Expr = { kind: 'binary', op: e.op, left: a.expr, right: b.expr };
  const mixed = (): undefined => {
    sink.report('SNN3101', e.range, { left: dimName(a.dim), right: dimName(b.dim), op: e.op });
    return undefined;
  };
  switch (e.op) {
    case '+':
    case '-':
    case '%':
      return a.dim === b.dim ? { expr, dim: a.dim } : mixed();
    case '*':
      return { expr, dim: a.dim + b.dim };
    case '/':
      return { expr, dim: a.dim - b.dim };
    case '^': {
      if (b.dim !== 0) return mixed();
      if (a.dim === 0) return { expr, dim: 0 };
      // a time squared is fine; a time to a non-integer power has no dimension we can name
      const k = b.expr.kind === 'num' ? b.expr.value : NaN;
      if (!Number.isInteger(k)) {
        sink.report('SNN3100', e.right.range, { what: `the power of ${dimName(a.dim)}`, expected: 'a whole number', actual: describeValue(e.right) });
        return undefined;
      }
      return { expr, dim: a.dim * k };
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      return a.dim === b.dim ? { expr, dim: 0 } : mixed();
    case '&&':
    case '||':
      return { expr, dim: 0 };
    default:
      return assertNever(e.op);
  }
}

function lowerCall(e: Extract<AstExpr, { kind: 'call' }>, scope: NeuronScope, sink: Sink): Lowered | undefined {
  const fn = e.callee.name;
  if (!isBuiltinFunction(fn)) {
    if (fn !== '') sink.report('SNN2001', e.callee.range, { what: 'function', name: fn }, didYouMean(fn, Object.keys(BUILTIN_FUNCTIONS)));
    return undefined;
  }
  const arity: number = BUILTIN_FUNCTIONS[fn];
  if ((arity >= 0 && e.args.length !== arity) || (arity < 0 && e.args.length < Math.max(2, -arity))) {
    sink.report('SNN5007', e.range, { fn, expected: arity >= 0 ? String(arity) : `${Math.max(2, -arity)} or more`, actual: e.args.length });
    return undefined;
  }
  const args: Lowered[] = [];
  for (const a of e.args) {
    if (a.name) {
      sink.report('SNN5102', a.range, { message: `\`${fn}\` takes positional arguments only` });
      return undefined;
    }
    const l = lowerNeuronExpr(a.value, scope, sink);
    if (!l) return undefined;
    args.push(l);
  }
  const expr: Expr = { kind: 'call', fn, args: args.map((a) => a.expr) };
  const same = (list: Lowered[], at: number): Dim | undefined => {
    const d = list[0]!.dim;
    const bad = list.findIndex((x) => x.dim !== d);
    if (bad < 0) return d;
    sink.report('SNN3101', e.args[bad + at]!.range, { left: dimName(d), right: dimName(list[bad]!.dim), op: fn });
    return undefined;
  };
  switch (fn) {
    case 'sin':
    case 'cos':
    case 'tan':
    case 'exp':
    case 'log':
    case 'tanh':
    case 'sqrt':
      if (args[0]!.dim !== 0) {
        sink.report('SNN3100', e.args[0]!.range, { what: `the argument of \`${fn}\``, expected: 'a plain number', actual: dimName(args[0]!.dim) });
        return undefined;
      }
      return { expr, dim: 0 };
    case 'abs':
    case 'floor':
    case 'ceil':
      return { expr, dim: args[0]!.dim };
    case 'sign':
      return { expr, dim: 0 };
    case 'min':
    case 'max':
    case 'clip': {
      const d = same(args, 0);
      return d === undefined ? undefined : { expr, dim: d };
    }
    case 'if':
    case 'where': {
      const d = same(args.slice(1), 1);
      return d === undefined ? undefined : { expr, dim: d };
    }
    default:
      return assertNever(fn);
  }
}

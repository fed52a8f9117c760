import { BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, didYouMean, isBuiltinFunction, assertNever } from '@snnc/ir';
import type { AstExpr } from '../ast.js';
import { UNITS, type Dimension } from '../units.js';
import { describeValue } from './describe.js';
import type { Sink } from './sink.js';

/** A constant with its physical dimension; `value` is in seconds or hertz when `dim` is set. */
export interface Quantity {
  value: number;
  dim: Dimension | null;
  /** The first unit as written (`ms`), for messages. */
  unit?: string;
}

/** The names a constant expression may read: model or network parameters, already numbers. */
export interface ConstEnv {
  names: ReadonlyMap<string, number>;
  /** What the names are, for `unknown ...` messages. */
  what: string;
}

export const EMPTY_ENV: ConstEnv = { names: new Map(), what: 'name' };

/** Names that only make sense in functions and signals, never in a constant. */
const RUNTIME_NAMES = new Set(['t', 'x']);

/**
 * Evaluates a constant expression: numbers (with units), parameters, `pi`, `e`, arithmetic
 * and the built-in functions. Reports and returns undefined on anything else; `name` is the
 * parameter being filled, for messages.
 */
export function evalConst(e: AstExpr, env: ConstEnv, sink: Sink, name: string): Quantity | undefined {
  switch (e.kind) {
    case 'number': {
      if (Number.isNaN(e.value)) return undefined; // recovery placeholder or invalid literal, reported already
      if (e.unit === undefined) return { value: e.value, dim: null };
      const u = UNITS[e.unit];
      if (!u) return undefined; // unknown unit, reported by the parser
      return { value: e.value * u.scale, dim: u.dimension, unit: e.unit };
    }
    case 'ident': {
      const v = env.names.get(e.name);
      if (v !== undefined) return { value: v, dim: null };
      if (Object.prototype.hasOwnProperty.call(BUILTIN_CONSTANTS, e.name)) return { value: BUILTIN_CONSTANTS[e.name as keyof typeof BUILTIN_CONSTANTS], dim: null };
      if (e.name === '') return undefined;
      if (RUNTIME_NAMES.has(e.name)) {
        sink.report('SNN3006', e.range, { name, uses: `\`${e.name}\`` });
        return undefined;
      }
      if (e.name === 'true' || e.name === 'false' || env.names.size === 0) {
        sink.report('SNN3001', e.range, { name, expected: 'a number', actual: describeValue(e) });
        return undefined;
      }
      sink.report('SNN2001', e.range, { what: env.what, name: e.name }, didYouMean(e.name, [...env.names.keys(), 'pi', 'e']));
      return undefined;
    }
    case 'paren':
      return evalConst(e.inner, env, sink, name);
    case 'unary': {
      const a = evalConst(e.arg, env, sink, name);
      if (!a) return undefined;
      if (e.op === '!') return { value: a.value === 0 ? 1 : 0, dim: null };
      return e.op === '-' ? { ...a, value: -a.value } : a;
    }
    case 'binary':
      return evalBinary(e, env, sink, name);
    case 'call': {
      if (!isBuiltinFunction(e.callee.name)) {
        sink.report('SNN3001', e.range, { name, expected: 'a number', actual: describeValue(e) });
        return undefined;
      }
      const fn = e.callee.name;
      const arity: number = BUILTIN_FUNCTIONS[fn];
      if ((arity >= 0 && e.args.length !== arity) || (arity < 0 && e.args.length < -arity)) {
        sink.report('SNN5007', e.range, { fn, expected: arity >= 0 ? String(arity) : `${-arity} or more`, actual: e.args.length });
        return undefined;
      }
      const vals: number[] = [];
      for (const a of e.args) {
        const q = evalConst(a.value, env, sink, name);
        if (!q) return undefined;
        vals.push(q.value);
      }
      return { value: applyBuiltin(fn, vals), dim: null };
    }
    case 'string':
    case 'list':
    case 'map':
    case 'index':
    case 'member':
      sink.report('SNN3001', e.range, { name, expected: 'a number', actual: describeValue(e) });
      return undefined;
    default:
      return assertNever(e);
  }
}

function evalBinary(e: Extract<AstExpr, { kind: 'binary' }>, env: ConstEnv, sink: Sink, name: string): Quantity | undefined {
  const a = evalConst(e.left, env, sink, name);
  const b = evalConst(e.right, env, sink, name);
  if (!a || !b) return undefined;
  const unit = a.unit ?? b.unit;
  const withUnit = (value: number, dim: Dimension | null): Quantity => (unit === undefined || dim === null ? { value, dim } : { value, dim, unit });
  const mixed = (): undefined => {
    sink.report('SNN3007', e.range, { op: e.op, left: a.unit ? `\`${a.unit}\`` : 'a plain number', right: b.unit ? `\`${b.unit}\`` : 'a plain number' });
    return undefined;
  };
  switch (e.op) {
    case '+':
    case '-':
      // A bare number next to a time is read in seconds, as everywhere else.
      if (a.dim !== null && b.dim !== null && a.dim !== b.dim) return mixed();
      return withUnit(e.op === '+' ? a.value + b.value : a.value - b.value, a.dim ?? b.dim);
    case '*':
      if (a.dim !== null && b.dim !== null) {
        // a time times a rate is a plain number (100ms * 10Hz = 1)
        if (a.dim !== b.dim) return { value: a.value * b.value, dim: null };
        return mixed();
      }
      return withUnit(a.value * b.value, a.dim ?? b.dim);
    case '/':
      if (a.dim !== null && b.dim !== null) return a.dim === b.dim ? { value: a.value / b.value, dim: null } : mixed();
      if (b.dim !== null) return withUnit(a.value / b.value, b.dim === 'time' ? 'rate' : 'time');
      return withUnit(a.value / b.value, a.dim);
    case '%':
      if (b.dim !== null && a.dim !== b.dim) return mixed();
      return withUnit(a.value % b.value, a.dim);
    case '^':
      if (a.dim !== null || b.dim !== null) return mixed();
      return { value: Math.pow(a.value, b.value), dim: null };
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      // both sides in seconds or hertz, or plain: `tau > 10ms` compares like `+` adds
      if (a.dim !== null && b.dim !== null && a.dim !== b.dim) return mixed();
      return { value: compare(e.op, a.value, b.value) ? 1 : 0, dim: null };
    case '&&':
      return { value: a.value !== 0 && b.value !== 0 ? 1 : 0, dim: null };
    case '||':
      return { value: a.value !== 0 || b.value !== 0 ? 1 : 0, dim: null };
    default:
      return assertNever(e.op);
  }
}

function compare(op: '<' | '<=' | '>' | '>=' | '==' | '!=', a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    default:
      return assertNever(op);
  }
}

export function applyBuiltin(fn: keyof typeof BUILTIN_FUNCTIONS, v: number[]): number {
  const a = v[0] ?? NaN;
  switch (fn) {
    case 'sin':
      return Math.sin(a);
    case 'cos':
      return Math.cos(a);
    case 'tan':
      return Math.tan(a);
    case 'exp':
      return Math.exp(a);
    case 'log':
      return Math.log(a);
    case 'tanh':
      return Math.tanh(a);
    case 'abs':
      return Math.abs(a);
    case 'sqrt':
      return Math.sqrt(a);
    case 'sign':
      return Math.sign(a);
    case 'floor':
      return Math.floor(a);
    case 'ceil':
      return Math.ceil(a);
    case 'min':
      return Math.min(...v);
    case 'max':
      return Math.max(...v);
    case 'if':
    case 'where':
      return a !== 0 ? (v[1] ?? NaN) : (v[2] ?? NaN);
    case 'clip':
      return Math.min(Math.max(a, v[1] ?? NaN), v[2] ?? NaN);
    default:
      return assertNever(fn);
  }
}

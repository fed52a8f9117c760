import { assertNever, BUILTIN_CONSTANTS, BUILTIN_FUNCTIONS, didYouMean, isBuiltinFunction, type Expr } from '@snnc/ir';
import type { AstExpr } from '../ast.js';
import { UNITS } from '../units.js';
import { describeValue } from './describe.js';
import { evalConst, type ConstEnv } from './evaluate.js';
import type { Sink } from './sink.js';

/** What an expression of `t`, `x` or input names may read. */
export interface ExprScope {
  /** Readable vectors and their sizes: `t` (1), `x` (the connection's pre), input names. */
  vars: ReadonlyMap<string, number>;
  /** Network parameters, substituted as numbers. */
  consts: ConstEnv;
  /** The endpoint `x` comes from, for arity messages. */
  preName?: string;
}

/**
 * Lowers an expression to the IR `Expr` tree (never to JavaScript source). Numbers with units
 * become seconds or hertz; names must be in scope; `x[i]` must exist.
 */
export function lowerExpr(e: AstExpr, scope: ExprScope, sink: Sink): Expr | undefined {
  switch (e.kind) {
    case 'number': {
      if (Number.isNaN(e.value)) return undefined;
      if (e.unit === undefined) return { kind: 'num', value: e.value };
      const u = UNITS[e.unit];
      return u ? { kind: 'num', value: e.value * u.scale } : undefined;
    }
    case 'ident': {
      const c = scope.consts.names.get(e.name);
      if (c !== undefined) return { kind: 'num', value: c };
      if (Object.prototype.hasOwnProperty.call(BUILTIN_CONSTANTS, e.name)) return { kind: 'var', name: e.name };
      const dims = scope.vars.get(e.name);
      if (dims === undefined) {
        if (e.name === '') return undefined;
        const known = [...scope.vars.keys(), ...scope.consts.names.keys(), 'pi', 'e'];
        sink.report('SNN5006', e.range, { what: isBuiltinFunction(e.name) ? 'variable (a function needs parentheses)' : 'variable', name: e.name }, didYouMean(e.name, known));
        return undefined;
      }
      if (dims > 1) {
        sink.report('SNN5008', e.range, { message: `\`${e.name}\` has ${dims} dimensions: pick one, as in \`${e.name}[0]\`` });
        return undefined;
      }
      return { kind: 'var', name: e.name };
    }
    case 'index': {
      const target = e.target.kind === 'paren' ? e.target.inner : e.target;
      if (target.kind !== 'ident' || !scope.vars.has(target.name)) {
        if (target.kind === 'ident' && !scope.consts.names.has(target.name)) return lowerExpr(target, scope, sink);
        sink.report('SNN5008', e.range, { message: 'only `x` and input names can be indexed' });
        return undefined;
      }
      const q = evalConst(e.index, scope.consts, sink, 'index');
      if (!q) return undefined;
      const dims = scope.vars.get(target.name)!;
      if (!Number.isInteger(q.value) || q.value < 0) {
        sink.report('SNN3002', e.index.range, { name: 'index', constraint: 'an integer >= 0', value: q.value });
        return undefined;
      }
      if (q.value >= dims) {
        if (target.name === 'x') sink.report('SNN5003', e.range, { index: q.value, pre: scope.preName ?? 'x', dims });
        else sink.report('SNN5002', e.range, { index: q.value, name: target.name, dims });
        return undefined;
      }
      return { kind: 'index', target: { kind: 'var', name: target.name }, index: q.value };
    }
    case 'paren':
      return lowerExpr(e.inner, scope, sink);
    case 'unary': {
      const arg = lowerExpr(e.arg, scope, sink);
      return arg && { kind: 'unary', op: e.op, arg };
    }
    case 'binary': {
      const left = lowerExpr(e.left, scope, sink);
      const right = lowerExpr(e.right, scope, sink);
      return left && right && { kind: 'binary', op: e.op, left, right };
    }
    case 'call': {
      const fn = e.callee.name;
      if (!isBuiltinFunction(fn)) {
        if (fn !== '') sink.report('SNN5006', e.callee.range, { what: 'function', name: fn }, didYouMean(fn, Object.keys(BUILTIN_FUNCTIONS)));
        return undefined;
      }
      const arity: number = BUILTIN_FUNCTIONS[fn];
      if ((arity >= 0 && e.args.length !== arity) || (arity < 0 && e.args.length < -arity)) {
        sink.report('SNN5007', e.range, { fn, expected: arity >= 0 ? String(arity) : `${-arity} or more`, actual: e.args.length });
        return undefined;
      }
      // `min(x)` / `max(x)`: the extreme element of a vector (`x` or an input)
      const only = e.args.length === 1 ? unwrapVector(e.args[0]!.value) : undefined;
      if ((fn === 'min' || fn === 'max') && only !== undefined && !e.args[0]!.name && (scope.vars.get(only) ?? 0) > 1) return { kind: 'call', fn, args: [{ kind: 'var', name: only }] };
      const named = e.args.find((a) => a.name);
      if (named) {
        sink.report('SNN5008', named.range, { message: `\`${fn}\` takes positional arguments only` });
        return undefined;
      }
      const args: Expr[] = [];
      let ok = true;
      for (const a of e.args) {
        const v = lowerExpr(a.value, scope, sink);
        if (v) args.push(v);
        else ok = false;
      }
      return ok ? { kind: 'call', fn, args } : undefined;
    }
    case 'string':
    case 'list':
    case 'map':
    case 'member':
      sink.report('SNN5008', e.range, { message: `${describeValue(e)} is not allowed inside an expression` });
      return undefined;
    default:
      return assertNever(e);
  }
}

/** `expr` or `[expr, ...]`: one expression per output dimension. */
export function lowerExprList(e: AstExpr, scope: ExprScope, sink: Sink): Expr[] | undefined {
  const x = e.kind === 'paren' ? e.inner : e;
  const items = x.kind === 'list' ? x.items : [e];
  if (items.length === 0) {
    sink.report('SNN5008', e.range, { message: 'an empty list has no dimensions' });
    return undefined;
  }
  const out: Expr[] = [];
  let ok = true;
  for (const item of items) {
    const v = lowerExpr(item, scope, sink);
    if (v) out.push(v);
    else ok = false;
  }
  return ok ? out : undefined;
}

/** The name of a bare identifier (through parentheses), else undefined. */
function unwrapVector(e: AstExpr): string | undefined {
  const x = e.kind === 'paren' ? e.inner : e;
  return x.kind === 'ident' ? x.name : undefined;
}

import type { AstExpr } from '../ast.js';
import { dimensionName } from '../units.js';
import { asIdent } from './args.js';
import { describeValue, fmtNumber, unwrapParens } from './describe.js';
import { evalConst, type ConstEnv } from './evaluate.js';
import type { Sink } from './sink.js';
import { didYouMean, rangeText } from '@snnc/ir';

import type { NumSpec } from '../catalog/types.js';

export type { NumSpec };

export interface ReadCtx {
  sink: Sink;
  env: ConstEnv;
}

/** `an integer >= 1`: the words of SNN3002, shared with validateIR so both say the same. */
export const constraintText: (spec: NumSpec) => string = rangeText;

/** A number of the given kind and range, converted to seconds or hertz; undefined after reporting. */
export function readNumber(e: AstExpr, name: string, spec: NumSpec, ctx: ReadCtx): number | undefined {
  const q = evalConst(e, ctx.env, ctx.sink, name);
  if (!q) return undefined;
  const want = spec.unit ?? 'none';
  if (q.dim !== null && want !== 'any') {
    if (want === 'none') {
      ctx.sink.report('SNN3005', e.range, { name, unit: q.unit ?? q.dim });
      return undefined;
    }
    if (q.dim !== want) {
      ctx.sink.report('SNN3004', e.range, { name, expected: dimensionName(want), unit: q.unit ?? q.dim, actual: dimensionName(q.dim) });
      return undefined;
    }
  }
  const v = q.value;
  if (!Number.isFinite(v)) {
    ctx.sink.report('SNN3002', e.range, { name, constraint: constraintText(spec), value: fmtNumber(v) });
    return undefined;
  }
  if (spec.integer && !Number.isInteger(v)) {
    ctx.sink.report('SNN3001', e.range, { name, expected: 'an integer', actual: fmtNumber(v) });
    return undefined;
  }
  const low = spec.min !== undefined && (spec.minOpen ? v <= spec.min : v < spec.min);
  const high = spec.max !== undefined && (spec.maxOpen ? v >= spec.max : v > spec.max);
  if (low || high) {
    ctx.sink.report('SNN3002', e.range, { name, constraint: constraintText(spec), value: fmtNumber(v) });
    return undefined;
  }
  return v;
}

export function readBool(e: AstExpr, name: string, ctx: ReadCtx): boolean | undefined {
  const id = asIdent(e);
  if (id && (id.name === 'true' || id.name === 'false')) return id.name === 'true';
  ctx.sink.report('SNN3001', e.range, { name, expected: '`true` or `false`', actual: describeValue(e) });
  return undefined;
}

/** One of a fixed set of words (`onehot`, `mse`); a close miss gets a suggestion. */
export function readChoice<C extends string>(e: AstExpr, name: string, choices: readonly C[], ctx: ReadCtx): C | undefined {
  const id = asIdent(e);
  if (!id) {
    ctx.sink.report('SNN3001', e.range, { name, expected: `one of ${choices.map((c) => `\`${c}\``).join(', ')}`, actual: describeValue(e) });
    return undefined;
  }
  if ((choices as readonly string[]).includes(id.name)) return id.name as C;
  if (id.name !== '') ctx.sink.report('SNN3003', id.range, { name, choices: choices.map((c) => `\`${c}\``).join(', '), value: id.name }, didYouMean(id.name, choices));
  return undefined;
}

/** `3` or `[3, 5]`: a size per image axis (rows, columns). */
export function readPair(e: AstExpr, name: string, spec: NumSpec, ctx: ReadCtx): [number, number] | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'list') {
    if (x.items.length !== 2) {
      ctx.sink.report('SNN3001', e.range, { name, expected: 'a number or a pair [rows, columns]', actual: `a list of ${x.items.length}` });
      return undefined;
    }
    const a = readNumber(x.items[0]!, name, spec, ctx);
    const b = readNumber(x.items[1]!, name, spec, ctx);
    return a === undefined || b === undefined ? undefined : [a, b];
  }
  const v = readNumber(e, name, spec, ctx);
  return v === undefined ? undefined : [v, v];
}

/** `[lo, hi]` with lo <= hi. */
export function readRange(e: AstExpr, name: string, spec: NumSpec, ctx: ReadCtx): [number, number] | undefined {
  const x = unwrapParens(e);
  if (x.kind !== 'list' || x.items.length !== 2) {
    ctx.sink.report('SNN3001', e.range, { name, expected: 'a range [low, high]', actual: describeValue(e) });
    return undefined;
  }
  const lo = readNumber(x.items[0]!, name, spec, ctx);
  const hi = readNumber(x.items[1]!, name, spec, ctx);
  if (lo === undefined || hi === undefined) return undefined;
  if (lo > hi) {
    ctx.sink.report('SNN3002', e.range, { name, constraint: 'a range [low, high] with low <= high', value: `[${fmtNumber(lo)}, ${fmtNumber(hi)}]` });
    return undefined;
  }
  return [lo, hi];
}

/** A list of numbers, optionally of a fixed length. */
export function readNumberList(e: AstExpr, name: string, spec: NumSpec, ctx: ReadCtx): number[] | undefined {
  const x = unwrapParens(e);
  if (x.kind !== 'list') {
    ctx.sink.report('SNN3001', e.range, { name, expected: 'a list of numbers', actual: describeValue(e) });
    return undefined;
  }
  const out: number[] = [];
  let ok = true;
  for (const item of x.items) {
    const v = readNumber(item, name, spec, ctx);
    if (v === undefined) ok = false;
    else out.push(v);
  }
  return ok ? out : undefined;
}

export function readString(e: AstExpr, name: string, ctx: ReadCtx): string | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'string') return x.value;
  ctx.sink.report('SNN3001', e.range, { name, expected: 'a string', actual: describeValue(e) });
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { compileExpr, freeVariables, maxInputIndex, type Expr } from './expr.js';

const num = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const x = (index: number): Expr => ({ kind: 'index', target: v('x'), index });

describe('compileExpr', () => {
  it('evaluates x[0] * x[1] on a vector', () => {
    const f = compileExpr({ kind: 'binary', op: '*', left: x(0), right: x(1) });
    expect(f({ t: 0, x: [0.5, 0.2], vars: {} })).toBeCloseTo(0.1, 12);
  });

  it('evaluates sin(2 pi t) and power', () => {
    const sin = compileExpr({
      kind: 'call',
      fn: 'sin',
      args: [{ kind: 'binary', op: '*', left: { kind: 'binary', op: '*', left: num(2), right: v('pi') }, right: v('t') }],
    });
    expect(sin({ t: 0.25, x: [], vars: {} })).toBeCloseTo(1, 12);
    const sq = compileExpr({ kind: 'binary', op: '^', left: v('x'), right: num(2) });
    expect(sq({ t: 0, x: [0.2], vars: {} })).toBeCloseTo(0.04, 12);
  });

  it('reads named inputs and min/max over many arguments', () => {
    const f = compileExpr({ kind: 'call', fn: 'max', args: [v('a'), { kind: 'index', target: v('b'), index: 1 }, num(-3)] });
    expect(f({ t: 0, x: [], vars: { a: [0.5], b: [0, 0.7] } })).toBe(0.7);
  });

  it('reports free variables and the largest x index', () => {
    const e: Expr = { kind: 'binary', op: '+', left: x(2), right: { kind: 'binary', op: '*', left: v('pi'), right: v('a') } };
    expect([...freeVariables(e)].sort()).toEqual(['a', 'x']);
    expect(maxInputIndex(e)).toBe(2);
    expect(maxInputIndex(num(1))).toBe(-1);
  });
});

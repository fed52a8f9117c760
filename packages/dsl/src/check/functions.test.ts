import { describe, expect, it } from 'vitest';
import { compileExpr, type Expr } from '@snnc/ir';
import type { NeuronStatement } from '../ast.js';
import { parse } from '../parse.js';
import { lowerExpr, type ExprScope } from './functions.js';
import { Sink } from './sink.js';

function lower(src: string, vars: Record<string, number> = { t: 1 }, consts: Record<string, number> = {}) {
  const ast = parse(`neuron n = ${src}`, { file: 'f.snn' }).ast!;
  const sink = new Sink();
  const scope: ExprScope = { vars: new Map(Object.entries(vars)), consts: { names: new Map(Object.entries(consts)), what: 'parameter' }, preName: 'ab' };
  const expr = lowerExpr((ast.statements[0] as NeuronStatement).value!, scope, sink);
  return { expr, codes: sink.diagnostics.map((d) => `${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`) };
}

function evalAt(e: Expr | undefined, env: { t?: number; x?: number[]; vars?: Record<string, number[]> }): number {
  return compileExpr(e!)({ t: env.t ?? 0, x: env.x ?? [], vars: env.vars ?? {} });
}

describe('expressions of t, x and inputs', () => {
  it('lowers to the IR tree, which evaluates as written', () => {
    const { expr, codes } = lower('sin(2 * pi * t) + 2 ^ 3 ^ 2 % 5');
    expect(codes).toEqual([]);
    expect(evalAt(expr, { t: 0.125 })).toBeCloseTo(Math.sin(Math.PI / 4) + (2 ** 9 % 5));
  });

  it('indexes x and input vectors, and substitutes parameters', () => {
    const { expr } = lower('x[0] * x[1] * k + a[1]', { x: 2, a: 2 }, { k: 10 });
    expect(evalAt(expr, { x: [2, 3], vars: { a: [0, 5] } })).toBe(65);
  });

  it('converts units inside expressions', () => {
    expect(evalAt(lower('t / 100ms').expr, { t: 0.5 })).toBeCloseTo(5);
  });

  it('reports unknown names and functions with suggestions', () => {
    expect(lower('sine(t)').codes).toEqual(['SNN5006 unknown function `sine` in expression (did you mean `sin`?)']);
    expect(lower('tt * 2').codes).toEqual(['SNN5006 unknown variable `tt` in expression (did you mean `t`?)']);
    expect(lower('sin * 2').codes).toEqual(['SNN5006 unknown variable (a function needs parentheses) `sin` in expression']);
  });

  it('checks x arity and input indices', () => {
    expect(lower('x[2]', { x: 2 }).codes).toEqual(['SNN5003 function reads x[2] but `ab` gives 2 dimension(s)']);
    expect(lower('a[3]', { a: 2 }).codes).toEqual(['SNN5002 index 3 is out of range for `a` with 2 dimension(s)']);
    expect(lower('x[0.5]', { x: 2 }).codes).toEqual(['SNN3002 `index` must be an integer >= 0, got 0.5']);
  });

  it('rejects values that are not arithmetic', () => {
    expect(lower('[1, 2] * t').codes).toEqual(['SNN5008 a list is not allowed inside an expression']);
    expect(lower('max(t, k: 1)').codes).toEqual(['SNN5008 `max` takes positional arguments only']);
  });
});

import { describe, expect, it } from 'vitest';
import { syntheticRange } from '@snnc/ir';
import type { CallExpr, NeuronStatement } from '../ast.js';
import { parse } from '../parse.js';
import { bindArgs } from './args.js';
import { Sink } from './sink.js';

function bind(src: string) {
  const call = (parse(`neuron n = ${src}`, { file: 'f.snn' }).ast!.statements[0] as NeuronStatement).value as CallExpr;
  const sink = new Sink();
  const args = bindArgs(call.args, { owner: 'f', positional: ['a', 'b'], named: ['c'], required: ['a', 'c'] }, syntheticRange('f.snn'), sink);
  return { bound: [...args.keys()], codes: sink.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

describe('argument binding', () => {
  it('binds positional then named arguments', () => {
    expect(bind('f(1, 2, c: 3)')).toEqual({ bound: ['a', 'b', 'c'], codes: [] });
    expect(bind('f(c: 3, a: 1)')).toEqual({ bound: ['c', 'a'], codes: [] });
  });

  it('reports surplus, misplaced, duplicate, unknown and missing arguments', () => {
    expect(bind('f(1, 2, 3, c: 1)').codes).toEqual(['SNN2008 f takes at most 2 positional argument(s)']);
    expect(bind('f(c: 1, 2)').codes).toEqual(['SNN1002 a positional argument cannot follow a named one', 'SNN2004 f needs `a`']);
    expect(bind('f(1, c: 1, c: 2)').codes).toEqual(['SNN2005 `c` is given twice']);
    expect(bind('f(1, d: 1)').codes).toEqual(['SNN2003 f has no parameter `d`', 'SNN2004 f needs `c`']);
  });

  it('does not also report a missing argument that a misspelling was meant to give', () => {
    expect(bind('f(1, cc: 3)').codes).toEqual(['SNN2003 f has no parameter `cc`']);
  });
});

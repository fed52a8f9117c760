import { describe, expect, it } from 'vitest';
import type { AstExpr, BlockStatement, ModelStatement, NeuronStatement } from './ast.js';
import { parse } from './parse.js';

/**
 * Parameter lists, block parameters, arguments, lists and maps share one comma-list rule
 * (parser.ts `commaList`): each may be empty, takes a trailing comma, and reports a doubled
 * comma the same way.
 */
const CASES: { what: string; close: string; wrap: (items: string) => string; items: [string, string]; count: (text: string) => number }[] = [
  { what: 'model parameters', close: ')', wrap: (s) => `model m(${s}) {}`, items: ['a: 1', 'b: 2'], count: (t) => (statement(t) as ModelStatement).params.length },
  { what: 'block parameters', close: ')', wrap: (s) => `block b(${s}) {}`, items: ['c', 's: 1'], count: (t) => (statement(t) as BlockStatement).params.length },
  { what: 'call arguments', close: ')', wrap: (s) => `neuron n = f(${s})`, items: ['1', 'k: 2'], count: (t) => argsOf(value(t)) },
  { what: 'list items', close: ']', wrap: (s) => `neuron n = [${s}]`, items: ['1', '2'], count: (t) => itemsOf(value(t)) },
  { what: 'map entries', close: '}', wrap: (s) => `neuron n = {${s}}`, items: ['0: 1', '2: 3'], count: (t) => entriesOf(value(t)) },
];

function statement(text: string) {
  const r = parse(text, { file: 'f.snn' });
  expect(r.diagnostics).toEqual([]);
  return r.ast!.statements[0]!;
}

function value(text: string): AstExpr {
  return (statement(text) as NeuronStatement).value!;
}

function argsOf(e: AstExpr): number {
  return e.kind === 'call' ? e.args.length : -1;
}

function itemsOf(e: AstExpr): number {
  return e.kind === 'list' ? e.items.length : -1;
}

function entriesOf(e: AstExpr): number {
  return e.kind === 'map' ? e.entries.length : -1;
}

describe('comma-separated lists', () => {
  it.each(CASES)('$what: empty, one, two, and a trailing comma', ({ wrap, items, count }) => {
    expect(count(wrap(''))).toBe(0);
    expect(count(wrap(items[0]))).toBe(1);
    expect(count(wrap(`${items[0]}, ${items[1]}`))).toBe(2);
    expect(count(wrap(`${items[0]}, ${items[1]},`))).toBe(2);
  });

  it.each(CASES)('$what: a doubled comma is reported at the second comma', ({ close, wrap, items }) => {
    const text = wrap(`${items[0]},, ${items[1]}`);
    const r = parse(text, { file: 'f.snn' });
    const at = text.indexOf(',,') + 1;
    expect(r.diagnostics.map((d) => [d.code, d.range.start, d.message])).toEqual([['SNN1002', at, `expected \`${close}\` but found \`,\``]]);
  });
});

import { describe, expect, it } from 'vitest';
import type { AstExpr, ModelStatement, NeuronStatement } from './ast.js';
import { parse } from './parse.js';
import { checkGrammar } from './parser.js';

function exprOf(src: string): AstExpr {
  const r = parse(`neuron n = ${src}`, { file: 'f.snn' });
  expect(r.diagnostics).toEqual([]);
  return (r.ast!.statements[0] as NeuronStatement).value!;
}

/** Fully parenthesised, to read precedence off the tree. */
function show(e: AstExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'ident':
      return e.name;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'unary':
      return `(${e.op}${show(e.arg)})`;
    case 'paren':
      return show(e.inner);
    case 'call':
      return `${e.callee.name}(${e.args.map((a) => (a.name ? `${a.name.name}: ` : '') + show(a.value)).join(', ')})`;
    case 'index':
      return `${show(e.target)}[${show(e.index)}]`;
    case 'member':
      return `${show(e.target)}.${e.name.name}`;
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    default:
      return e.kind;
  }
}

describe('parse: expressions', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '(-(2 ^ 2))'],
    ['2 ^ -1', '(2 ^ (-1))'],
    ['a % b * c', '((a % b) * c)'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['x[0] * x[1]', '(x[0] * x[1])'],
    ['f(1, k: 2)', 'f(1, k: 2)'],
    ['a.b.c', 'a.b.c'],
    ['[1, -2, 3,]', '[1, (-2), 3]'],
  ])('%s', (src, expected) => {
    expect(show(exprOf(src))).toBe(expected);
  });

  it('keeps number text and unit', () => {
    const e = exprOf('2.50ms');
    expect(e).toMatchObject({ kind: 'number', value: 2.5, unit: 'ms', text: '2.50ms' });
  });

  it('reports an unknown unit on the unit only', () => {
    const r = parse('neuron n = 5parsecs', { file: 'f.snn' });
    expect(r.diagnostics.map((d) => [d.code, d.range.column, d.range.endColumn])).toEqual([['SNN1004', 13, 20]]);
  });
});

describe('parse: statements', () => {
  it('gives every node a 1-based range', () => {
    const r = parse('\nmodel m(input: [784], steps: 4) {\n  dense(10) -> LIF\n}', { file: 'f.snn' });
    const m = r.ast!.statements[0] as ModelStatement;
    expect([m.range.line, m.range.column, m.range.endLine, m.range.endColumn]).toEqual([2, 1, 4, 2]);
    const chain = m.items[0]!;
    expect(chain.kind).toBe('chain');
    expect(chain.range.line).toBe(3);
    expect(chain.range.column).toBe(3);
  });

  it('accepts keywords as parameter and field names', () => {
    const r = parse('model m(input: [1], steps: 1, seed: 2) { dense(1) -> LIF }\nexperiment e { seed: 1  model.input: 3  run: 2 }', { file: 'f.snn' });
    expect(r.diagnostics).toEqual([]);
  });

  it('continues after a stray token at the top level', () => {
    const r = parse('neuron a = LIF\n} ) junk\nneuron b = IF', { file: 'f.snn' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SNN1002']);
    expect(r.ast!.statements.map((s) => (s.kind === 'use' ? '' : s.name.name))).toEqual(['a', 'b']);
  });

  it('marks statements patched by recovery as broken and keeps the others', () => {
    const r = parse('neuron a = LIF(tau: )\nneuron b = IF', { file: 'f.snn' });
    expect(r.ast!.statements.map((s) => [s.kind === 'use' ? '' : s.name.name, !!s.broken])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('points an error at the end of the file just after the last token', () => {
    const r = parse('model m {', { file: 'f.snn' });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]!.range.start).toBe(9);
  });

  it.each(['', '{', '}}}', '->', '"', '/*', 'model', 'network n { connect', '((((((((', '[[[[', 'neuron = = ='])('never throws on %j', (src) => {
    expect(() => parse(src, { file: 'f.snn' })).not.toThrow();
  });
});

describe('parse: nesting limit', () => {
  const deep: Record<string, string> = {
    brackets: `neuron n = LIF(tau: ${'('.repeat(5000)}2${')'.repeat(5000)})`,
    unclosed: `neuron n = LIF(tau: ${'['.repeat(5000)}`,
    chain: `neuron n = LIF(tau: ${Array(20000).fill('1').join(' + ')})`,
    signs: `neuron n = LIF(tau: ${'-'.repeat(5000)}2)`,
    powers: `neuron n = LIF(tau: ${Array(5000).fill('2').join(' ^ ')})`,
  };
  for (const [name, text] of Object.entries(deep)) {
    it(`refuses ${name} nested beyond the limit instead of overflowing the stack`, () => {
      const r = parse(text, { file: 'f.snn' });
      expect(r.diagnostics.map((d) => d.code)).toEqual(['SNN1002']);
      expect(r.diagnostics[0]!.message).toMatch(/nested too deeply/);
    });
  }

  it('accepts realistic nesting and long argument lists', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `-${i}`).join(', ');
    expect(parse(`neuron n = LIF(tau: ${'('.repeat(20)}2${')'.repeat(20)}, threshold: max(${many}))`, { file: 'f.snn' }).diagnostics).toEqual([]);
  });
});

describe('grammar', () => {
  it("passes Chevrotain's validations (no ambiguities or left recursion)", () => {
    expect(() => checkGrammar()).not.toThrow();
  });
});

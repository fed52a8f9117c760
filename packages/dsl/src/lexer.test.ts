import { describe, expect, it } from 'vitest';
import { lex, tokenize } from './lexer.js';
import { KEYWORDS } from './tokens.js';

describe('lexer', () => {
  it('lexes keywords only as whole words', () => {
    const { tokens } = lex('run runtime seed seeds input inputs', 'f.snn');
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Run', 'Identifier', 'Seed', 'Identifier', 'Input', 'Identifier']);
  });

  it('keeps a unit glued to its number', () => {
    const { tokens } = lex('5ms 1e-3 200Hz .5 2.', 'f.snn');
    expect(tokens.map((t) => t.image)).toEqual(['5ms', '1e-3', '200Hz', '.5', '2.']);
  });

  it('separates an arrow from a minus', () => {
    const { tokens } = lex('a->b - -c', 'f.snn');
    expect(tokens.map((t) => t.tokenType.name)).toEqual(['Identifier', 'Arrow', 'Identifier', 'Minus', 'Minus', 'Identifier']);
  });

  it('collects comments aside from the tokens', () => {
    const r = lex('a // one\n/* two\n three */ b', 'f.snn');
    expect(r.tokens.map((t) => t.image)).toEqual(['a', 'b']);
    expect(r.comments.map((c) => [c.text, c.block])).toEqual([
      ['// one', false],
      ['/* two\n three */', true],
    ]);
  });

  it('reports bad characters, unterminated strings and comments with 1-based positions', () => {
    const r = lex('a $\n"open\n/* never closed', 'f.snn');
    expect(r.diagnostics.map((d) => [d.code, d.range.line, d.range.column])).toEqual([
      ['SNN1001', 1, 3],
      ['SNN1003', 2, 1],
      ['SNN1002', 3, 1],
    ]);
  });

  it('classifies every token for highlighting, in text order', () => {
    const toks = tokenize('model m { dense(10) -> LIF } // c\n"s" 5ms @');
    expect(toks.map((t) => t.class)).toEqual([
      'keyword', 'identifier', 'punctuation', 'identifier', 'punctuation', 'number', 'punctuation', 'operator', 'identifier', 'punctuation', 'comment', 'string', 'number', 'invalid',
    ]);
    for (const t of toks) expect(t.end).toBeGreaterThan(t.start);
  });

  it('exports the keyword list for the editor', () => {
    expect(KEYWORDS).toContain('model');
    expect(KEYWORDS).toContain('probe');
    expect(KEYWORDS).not.toContain('LIF');
  });
});

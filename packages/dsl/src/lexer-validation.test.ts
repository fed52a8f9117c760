import { describe, expect, it } from 'vitest';
import { checkLexer, lex } from './lexer.js';

describe('lexer token definitions', () => {
  it('pass Chevrotain\'s validations, which the shared lexer skips to start faster', () => {
    expect(() => checkLexer()).not.toThrow();
    expect(lex('neuron lif = LIF(tau: 2.0)', 'a.snn').tokens.map((t) => t.image)).toEqual(['neuron', 'lif', '=', 'LIF', '(', 'tau', ':', '2.0', ')']);
  });
});

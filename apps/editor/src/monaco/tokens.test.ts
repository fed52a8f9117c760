import { describe, expect, test } from 'vitest';
import { tokenizeLine } from './tokens.js';

const scopes = (line: string, inComment = false) => {
  const r = tokenizeLine(line, inComment);
  return { parts: r.tokens.map((t, i) => [line.slice(t.start, r.tokens[i + 1]?.start ?? line.length), t.scope]), inComment: r.inComment };
};

describe('tokenizeLine', () => {
  test('keywords, built-ins, numbers with units, operators and comments', () => {
    expect(scopes('  connect ab -> c (synapse: 5ms) // product').parts).toEqual([
      ['  ', ''],
      ['connect', 'keyword'],
      [' ', ''],
      ['ab', 'identifier'],
      [' ', ''],
      ['->', 'operator'],
      [' ', ''],
      ['c', 'identifier'],
      [' ', ''],
      ['(', 'delimiter'],
      ['synapse', 'identifier'],
      [':', 'delimiter'],
      [' ', ''],
      ['5ms', 'number'],
      [')', 'delimiter'],
      [' ', ''],
      ['// product', 'comment'],
    ]);
    expect(scopes('neuron n = LIF(tau: 2)').parts.find(([t]) => t === 'LIF')).toEqual(['LIF', 'predefined']);
  });

  test('a block comment carries over lines', () => {
    const first = scopes('dense(10) /* starts');
    expect(first.inComment).toBe(true);
    expect(first.parts.at(-1)).toEqual(['/* starts', 'comment']);
    const middle = scopes('still inside', true);
    expect(middle).toEqual({ parts: [['still inside', 'comment']], inComment: true });
    const last = scopes('ends */ -> lif', true);
    expect(last.inComment).toBe(false);
    expect(last.parts).toEqual([
      ['ends */', 'comment'],
      [' ', ''],
      ['->', 'operator'],
      [' ', ''],
      ['lif', 'identifier'],
    ]);
  });

  test('bad characters and unterminated strings are marked invalid', () => {
    expect(scopes('use "common.snn').parts.at(-1)).toEqual(['"common.snn', 'string.invalid']);
    expect(scopes('a ? b').parts.find(([t]) => t === '?')).toEqual(['?', 'invalid']);
  });
});

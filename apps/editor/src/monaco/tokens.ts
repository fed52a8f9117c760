import { tokenize, type TokenClass } from '@snnc/dsl';
import { assertNever } from '@snnc/ir';
import { CATALOG } from '../lang/catalog.js';

/**
 * Highlighting from the compiler's own lexer (`tokenize` from `@snnc/dsl`), so the editor
 * and the compiler can never disagree about what a keyword, number or comment is. Monaco
 * tokenizes line by line; the only construct spanning lines is a block comment, carried in
 * the line state.
 */

export interface LineToken {
  /** Offset in the line (UTF-16 code units). */
  start: number;
  scope: string;
}

export interface LineResult {
  tokens: LineToken[];
  /** The line ends inside an unclosed `/* ...`. */
  inComment: boolean;
}

const BUILTINS = new Set(CATALOG.map((e) => e.name));

export function tokenizeLine(line: string, inComment: boolean): LineResult {
  const tokens: LineToken[] = [];
  let offset = 0;
  if (inComment) {
    const close = line.indexOf('*/');
    tokens.push({ start: 0, scope: 'comment' });
    if (close < 0) return { tokens, inComment: true };
    offset = close + 2;
  }
  let pos = offset;
  let endsInComment = false;
  for (const t of tokenize(line.slice(offset))) {
    const start = offset + t.start;
    if (start > pos) tokens.push({ start: pos, scope: '' });
    let scope = scopeOf(t.class, t.text);
    if (t.class === 'invalid' && t.text.startsWith('/*')) {
      scope = 'comment';
      endsInComment = true;
    } else if (t.class === 'invalid' && t.text.startsWith('"')) scope = 'string.invalid';
    tokens.push({ start, scope });
    pos = offset + t.end;
  }
  if (pos < line.length) tokens.push({ start: pos, scope: '' });
  return { tokens, inComment: endsInComment };
}

function scopeOf(c: TokenClass, text: string): string {
  switch (c) {
    case 'keyword':
      return 'keyword';
    case 'identifier':
      return BUILTINS.has(text) ? 'predefined' : 'identifier';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'comment':
      return 'comment';
    case 'operator':
      return 'operator';
    case 'punctuation':
      return 'delimiter';
    case 'invalid':
      return 'invalid';
    default:
      return assertNever(c);
  }
}

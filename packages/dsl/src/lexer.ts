import { Lexer, type IToken } from 'chevrotain';
import { LineMap, makeDiagnostic, type Diagnostic } from '@snnc/ir';
import {
  ALL_TOKENS,
  BlockComment,
  Identifier,
  KEYWORD_TOKENS,
  LineComment,
  NumberLiteral,
  StringLiteral,
  UnterminatedComment,
  UnterminatedString,
} from './tokens.js';

/**
 * Built once, without Chevrotain's token-definition validations: they took ~50-130 ms of every
 * `snnc check` (most of a 0.3 s start-up budget). {@link checkLexer} runs them, in a test.
 */
const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: true, skipValidations: true });

/** Builds a lexer with Chevrotain's validations on; throws if a token definition is faulty. */
export function checkLexer(): void {
  new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: true });
}

export interface CommentToken {
  text: string;
  /** `//` runs to the end of its line; a block comment may span lines. */
  block: boolean;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface LexResult {
  tokens: IToken[];
  comments: CommentToken[];
  diagnostics: Diagnostic[];
  lines: LineMap;
}

/** Splits `.snn` text into tokens; bad characters and unterminated literals become diagnostics. */
export function lex(text: string, file: string): LexResult {
  const lines = new LineMap(text);
  const result = lexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of result.errors) {
    // Chevrotain reports a run of unlexable characters as one error; point at the first.
    const ch = text.slice(e.offset, e.offset + 1);
    diagnostics.push(makeDiagnostic('SNN1001', lines.range(file, e.offset, e.offset + Math.max(1, e.length)), { text: `\`${printable(ch)}\`` }));
  }
  let tokens = result.tokens;
  for (const t of (result.groups['errors'] as IToken[] | undefined) ?? []) {
    const range = lines.range(file, t.startOffset, t.startOffset + t.image.length);
    if (t.tokenType === UnterminatedString) {
      diagnostics.push(makeDiagnostic('SNN1003', range));
      // Hand the parser a string anyway, so the missing quote is the only error reported.
      tokens = [...tokens, { ...t, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx!, unterminated: true } as IToken].sort((a, b) => a.startOffset - b.startOffset);
    }
    else if (t.tokenType === UnterminatedComment) diagnostics.push(makeDiagnostic('SNN1002', lines.range(file, t.startOffset, t.startOffset + 2), { message: 'unterminated block comment: `/*` has no matching `*/`' }));
  }
  const comments = ((result.groups['comments'] as IToken[] | undefined) ?? []).map((t) => ({
    text: t.image,
    block: t.tokenType === BlockComment,
    start: t.startOffset,
    end: t.startOffset + t.image.length,
  }));
  return { tokens, comments, diagnostics, lines };
}

function printable(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 32 || code === 127 ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
}

export type TokenClass = 'keyword' | 'identifier' | 'number' | 'string' | 'comment' | 'operator' | 'punctuation' | 'invalid';

export interface SnnToken {
  class: TokenClass;
  text: string;
  start: number;
  end: number;
}

const OPERATORS = new Set(['Arrow', 'Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Caret', 'Equals', 'LessEqual', 'GreaterEqual', 'EqEq', 'NotEq', 'Less', 'Greater', 'AndAnd', 'OrOr', 'Bang']);
const KEYWORD_SET = new Set(KEYWORD_TOKENS);

/** Every token including comments, in text order, classified for syntax highlighting. */
export function tokenize(text: string): SnnToken[] {
  const result = lexer.tokenize(text);
  const out: SnnToken[] = [];
  const all = [...result.tokens, ...((result.groups['comments'] as IToken[] | undefined) ?? []), ...((result.groups['errors'] as IToken[] | undefined) ?? [])];
  for (const t of all) out.push({ class: classify(t), text: t.image, start: t.startOffset, end: t.startOffset + t.image.length });
  for (const e of result.errors) out.push({ class: 'invalid', text: text.slice(e.offset, e.offset + e.length), start: e.offset, end: e.offset + e.length });
  return out.sort((a, b) => a.start - b.start);
}

function classify(t: IToken): TokenClass {
  const type = t.tokenType;
  if (KEYWORD_SET.has(type)) return 'keyword';
  if (type === Identifier) return 'identifier';
  if (type === NumberLiteral) return 'number';
  if (type === StringLiteral) return 'string';
  if (type === LineComment || type === BlockComment) return 'comment';
  if (type === UnterminatedString || type === UnterminatedComment) return 'invalid';
  return OPERATORS.has(type.name) ? 'operator' : 'punctuation';
}

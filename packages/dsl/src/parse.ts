import type { IToken } from 'chevrotain';
import { makeDiagnostic, sortDiagnostics, type Diagnostic, type LineMap, type SourceRange } from '@snnc/ir';
import type { SnnFile, Statement } from './ast.js';
import { lex } from './lexer.js';
import { parseTokens, type ParseErrorInfo } from './parser.js';
import { AstBuilder } from './to-ast.js';
import { KEYWORD_TOKENS, Ensemble, Experiment, Input, Model, Network, Neuron, Probe, Sweep, Use } from './tokens.js';

export interface ParseResult {
  /** Present whenever the text could be read at all; statements patched by recovery are `broken`. */
  ast?: SnnFile;
  diagnostics: Diagnostic[];
}

const STATEMENT_STARTS = new Set([Use, Neuron, Model, Experiment, Sweep, Network]);
const DEFINERS = new Set([Neuron, Model, Experiment, Sweep, Network, Input, Ensemble, Probe]);

/**
 * Lexes and parses one `.snn` file. Never throws on user text: lexer and parser errors become
 * SNN1xxx diagnostics and the statements that could be recovered are returned.
 */
export function parse(text: string, opts: { file: string }): ParseResult {
  const file = opts.file;
  const lexed = lex(text, file);
  const builder = new AstBuilder(file, lexed.lines, text.length);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  const statements: Statement[] = [];
  const tokens = lexed.tokens;
  const tooDeep = nestingLimit(tokens);
  if (tooDeep) {
    // The parser and every later phase recurse over expressions: refuse rather than overflow.
    diagnostics.push(makeDiagnostic('SNN1002', lexed.lines.range(file, tooDeep.startOffset, tooDeep.startOffset + tooDeep.image.length), { message: `expression nested too deeply (at most ${MAX_NESTING / BRACKET_COST} brackets or ${MAX_NESTING} operators deep): split it up` }));
    const empty: SnnFile = { kind: 'file', file, statements: [], comments: [], range: lexed.lines.range(file, 0, text.length) };
    return { ast: empty, diagnostics: sortDiagnostics(diagnostics) };
  }
  // Chevrotain stops the top-level loop at a token that cannot start a statement; skip to the
  // next statement keyword and carry on, so one stray token does not hide the rest of the file.
  let start = 0;
  for (let guard = 0; start < tokens.length && guard <= tokens.length; guard++) {
    const chunk = tokens.slice(start);
    const { cst, errors } = parseTokens(chunk);
    statements.push(...builder.statements(cst));
    let stoppedAt = -1;
    let lastLine = -1;
    for (const e of errors) {
      if (e.name === 'NotAllInputParsedException') stoppedAt = chunk.indexOf(e.token);
      const range = errorRange(e, text, file, lexed.lines, chunk);
      // Recovery often trips again right after the first mistake: report one syntax error per line.
      if (range.line === lastLine) continue;
      lastLine = range.line;
      // `neuron input = ...`: a keyword where a definition's name belongs.
      const keyword = e.message.startsWith('expected a name') && KEYWORD_TOKENS.includes(e.token.tokenType) && e.previous !== undefined && DEFINERS.has(e.previous.tokenType);
      const hint = keyword ? `\`${e.token.image}\` is a keyword: it can name a parameter or field, but not a definition` : undefined;
      diagnostics.push(makeDiagnostic('SNN1002', range, { message: e.message }, hint));
    }
    if (stoppedAt < 0) break;
    let next = stoppedAt + 1;
    while (next < chunk.length && !STATEMENT_STARTS.has(chunk[next]!.tokenType)) next++;
    start += next;
  }
  diagnostics.push(...builder.diagnostics);
  const comments = lexed.comments.map((c) => ({ text: c.text, block: c.block, range: lexed.lines.range(file, c.start, c.end) }));
  const ast: SnnFile = { kind: 'file', file, statements, comments, range: lexed.lines.range(file, 0, text.length) };
  return { ast, diagnostics: dedupe(sortDiagnostics(diagnostics)) };
}

/**
 * Nesting budget along one path through an expression: an open bracket costs
 * {@link BRACKET_COST} (it recurses through every precedence level of the parser), an operator 1.
 * 256 allows 32 nested brackets or a chain of 256 operators: far beyond any real model, and
 * well inside the JavaScript stack of Node and browsers.
 */
export const MAX_NESTING = 256;
const BRACKET_COST = 8;

const OPENERS = new Set(['LParen', 'LBracket', 'LCurly']);
const CLOSERS = new Set(['RParen', 'RBracket', 'RCurly']);
const OPERATORS = new Set(['Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Caret']);
const SEPARATORS = new Set(['Comma', 'Colon', 'Equals', 'Arrow']);

/**
 * The first token at which an expression would nest deeper than {@link MAX_NESTING}: each open
 * bracket is a level, and so is each operator (a chain `1 + 1 + ...` is a left-deep tree, unary
 * signs and `^` recurse). Separators and keywords end an expression at their level.
 */
function nestingLimit(tokens: readonly IToken[]): IToken | undefined {
  const stack = [0];
  let depth = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (OPENERS.has(name)) {
      stack.push(0);
      depth += BRACKET_COST;
    } else if (CLOSERS.has(name)) {
      if (stack.length > 1) {
        depth -= stack.pop()! + BRACKET_COST;
      }
    } else if (OPERATORS.has(name)) {
      stack[stack.length - 1]!++;
      depth++;
    } else if (SEPARATORS.has(name) || KEYWORD_TOKENS.includes(t.tokenType)) {
      depth -= stack[stack.length - 1]!;
      stack[stack.length - 1] = 0;
    }
    if (depth > MAX_NESTING) return t;
  }
  return undefined;
}

/** Where to point a syntax error: the offending token, or just after the last real token at EOF. */
function errorRange(e: ParseErrorInfo, text: string, file: string, lines: LineMap, chunk: IToken[]): SourceRange {
  const t = e.token;
  const prev = e.previous;
  // A missing `)` or value at the end of a line is best shown there, not at the next line's first word.
  if (e.name !== 'NotAllInputParsedException' && prev && !Number.isNaN(prev.startOffset) && !Number.isNaN(t.startOffset) && t.tokenType.name !== 'EOF') {
    const end = prev.startOffset + prev.image.length;
    if (lines.position(t.startOffset).line > lines.position(end).line) return lines.range(file, end, end);
  }
  if (!Number.isNaN(t.startOffset) && t.tokenType.name !== 'EOF') return lines.range(file, t.startOffset, t.startOffset + t.image.length);
  const last = prev && !Number.isNaN(prev.startOffset) ? prev : [...chunk].reverse().find((x) => !Number.isNaN(x.startOffset));
  const at = last ? last.startOffset + last.image.length : text.length;
  return lines.range(file, at, at);
}

/** Recovery can report the same error twice at one spot; keep the first. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}@${d.range.start}:${d.range.end}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export { KEYWORD_TOKENS };

import { DIAGNOSTIC_CODES, diagnosticMessage, type DiagnosticCode } from './codes.js';
import { LineMap, type SourceRange } from './source.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInformation {
  message: string;
  range: SourceRange;
}

/** A user mistake, found by the compiler or a runtime, pointing into the `.snn` source. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: SourceRange;
  /** A suggestion ("did you mean `lif`?"). */
  hint?: string;
  related?: RelatedInformation[];
}

export function makeDiagnostic(
  code: DiagnosticCode,
  range: SourceRange,
  args: Record<string, string | number> = {},
  hint?: string,
): Diagnostic {
  const d: Diagnostic = { code, severity: DIAGNOSTIC_CODES[code].severity, message: diagnosticMessage(code, args), range };
  if (hint !== undefined) d.hint = hint;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then position, then code: stable output for golden files. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.file.localeCompare(b.range.file) ||
      a.range.start - b.range.start ||
      a.range.end - b.range.end ||
      a.code.localeCompare(b.code),
  );
}

export interface FormatOptions {
  /** ANSI colours; the CLI turns them on only for a TTY. */
  color?: boolean;
}

const ansi = {
  red: (s: string) => `\u001b[31m${s}\u001b[39m`,
  yellow: (s: string) => `\u001b[33m${s}\u001b[39m`,
  cyan: (s: string) => `\u001b[36m${s}\u001b[39m`,
  bold: (s: string) => `\u001b[1m${s}\u001b[22m`,
  dim: (s: string) => `\u001b[2m${s}\u001b[22m`,
};

/**
 * The one diagnostic formatter: `file:line:col: error SNN2001: message`, then the source
 * line with a caret underline (like tsc and rustc), then the hint. `source` is the text of
 * `d.range.file`; without it only the first line is printed.
 */
export function formatDiagnostic(d: Diagnostic, source?: string, options: FormatOptions = {}): string {
  const c = options.color ? ansi : { red: id, yellow: id, cyan: id, bold: id, dim: id };
  const r = d.range;
  const sev = d.severity === 'error' ? c.red(c.bold('error')) : d.severity === 'warning' ? c.yellow(c.bold('warning')) : c.cyan('info');
  const lines = [`${c.bold(`${escapeControls(r.file)}:${r.line}:${r.column}`)}: ${sev} ${c.dim(d.code)}: ${escapeControls(d.message)}`];
  if (source !== undefined) {
    const map = new LineMap(source);
    const text = map.lineText(r.line);
    const endColumn = r.endLine === r.line ? Math.max(r.column + 1, r.endColumn) : text.length + 1;
    const frame = codeFrame(text, r.column, endColumn);
    const gutter = String(r.line);
    const pad = ' '.repeat(gutter.length);
    lines.push(`${pad} |`);
    lines.push(`${gutter} | ${frame.text}`);
    lines.push(`${pad} | ${' '.repeat(frame.caret)}${(d.severity === 'error' ? c.red : c.yellow)('^'.repeat(frame.width))}`);
  }
  if (d.hint) lines.push(`  ${c.cyan('hint')}: ${escapeControls(d.hint)}`);
  for (const rel of d.related ?? []) lines.push(`  ${c.dim('note')}: ${escapeControls(rel.range.file)}:${rel.range.line}:${rel.range.column}: ${escapeControls(rel.message)}`);
  return lines.join('\n');
}

/** Characters printed visibly escaped: C0/C1 controls and DEL (a file could otherwise drive the
 * terminal with escape sequences), and invisible format characters such as bidi overrides. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `s` with control and invisible format characters written as `\x1b` / `\u{202e}`; tabs as spaces. */
export function escapeControls(s: string): string {
  return s.replace(/\t/g, ' ').replace(UNSAFE_ALL, escapeChar);
}

/** Characters of a source line shown in a code frame, at most; longer lines are cut to a window around the range. */
const FRAME_WIDTH = 160;
/** Characters of context kept before the range when a line is cut. */
const FRAME_LEAD = 60;

/**
 * One source line as the code frame prints it (controls escaped, long lines cut to a window
 * marked with `…`), with the caret's offset and width in printed characters. Columns are
 * 1-based UTF-16 indices into `text`, `endColumn` exclusive.
 */
export function codeFrame(text: string, column: number, endColumn: number): { text: string; caret: number; width: number } {
  // Printed offset of every UTF-16 unit, and one past the end.
  const parts: string[] = [];
  const at: number[] = [];
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const shown = ch === '\t' ? ' ' : UNSAFE.test(ch) ? escapeChar(ch) : ch;
    at.push(n);
    parts.push(shown);
    n += shown.length;
  }
  at.push(n);
  const pos = (col: number) => at[Math.max(0, Math.min(col - 1, text.length))]!;
  const from = pos(column);
  const to = Math.max(from + 1, pos(endColumn));
  const full = parts.join('');
  if (full.length <= FRAME_WIDTH) return { text: full, caret: from, width: to - from };
  const start = Math.max(0, Math.min(from - FRAME_LEAD, full.length - FRAME_WIDTH));
  const end = Math.min(full.length, start + FRAME_WIDTH);
  const lead = start > 0 ? '…' : '';
  const shownText = `${lead}${full.slice(start, end)}${end < full.length ? '…' : ''}`;
  return { text: shownText, caret: lead.length + from - start, width: Math.max(1, Math.min(to, end) - from) };
}

/** Formats many diagnostics, looking up each file's text with `sources`. */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: (file: string) => string | undefined,
  options: FormatOptions = {},
): string {
  return sortDiagnostics(diagnostics)
    .map((d) => formatDiagnostic(d, sources(d.range.file), options))
    .join('\n\n');
}

/** One-line summary: `2 errors, 1 warning`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const e = diagnostics.filter((d) => d.severity === 'error').length;
  const w = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}

function id(s: string): string {
  return s;
}

/**
 * A user-facing failure outside the compiler (a missing data file, a backend that cannot load,
 * a loss that became NaN). Runtimes throw it; the CLI prints it with the same formatter as
 * compile errors (`file:line:col: error SNN7001: ...`) and exits non-zero, without a stack trace.
 */
export class SnncError extends Error {
  readonly code: DiagnosticCode;
  readonly range: SourceRange | undefined;
  readonly hint: string | undefined;

  constructor(
    code: DiagnosticCode,
    args: Record<string, string | number> = {},
    options: { range?: SourceRange; hint?: string; cause?: unknown } = {},
  ) {
    super(diagnosticMessage(code, args), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SnncError';
    this.code = code;
    this.range = options.range;
    this.hint = options.hint;
  }

  /** As a diagnostic; without a source range it points at `fallbackFile` line 1. */
  toDiagnostic(fallbackFile: string): Diagnostic {
    const range = this.range ?? { file: fallbackFile, start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const d: Diagnostic = { code: this.code, severity: DIAGNOSTIC_CODES[this.code].severity, message: this.message, range };
    if (this.hint !== undefined) d.hint = this.hint;
    return d;
  }
}

export function isSnncError(e: unknown): e is SnncError {
  return e instanceof Error && (e as { name?: string }).name === 'SnncError' && typeof (e as { code?: unknown }).code === 'string';
}

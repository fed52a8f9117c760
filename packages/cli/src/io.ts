import { formatDiagnostics, summarizeDiagnostics, type Diagnostic } from '@snnc/ir';
import { describeFsError, readRegularFile, writeFileAtomic } from '@snnc/ir/node';

/** Where the CLI writes: injectable so tests run commands in-process. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

export function nodeIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * Reads a `.snn` text file, or returns the reason it cannot be read (for SNN9001 / SNN2006):
 * only regular files of at most READ_LIMITS.source bytes, only valid UTF-8 (a file in another
 * encoding is refused rather than decoded with replacement characters that `fmt --write` would
 * then write back). A byte order mark is dropped so that line 1 columns count from the text.
 */
export function readText(file: string): { text: string } | { error: string } {
  const r = readRegularFile(file, 'source');
  if (!r.ok) return { error: r.reason };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes);
  } catch {
    return { error: `it is not UTF-8 text (${invalidUtf8At(r.bytes)})` };
  }
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

/** Where the first byte that is not valid UTF-8 is, as `line L, byte B`, for the encoding error. */
function invalidUtf8At(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection (decoding a prefix may cut a character in two,
  // so the answer can be up to 3 bytes early: it still names the right line).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  let line = 1;
  for (let i = 0; i < lo; i++) if (bytes[i] === 0x0a) line++;
  return `invalid byte 0x${(bytes[lo] ?? 0).toString(16).padStart(2, '0')} at line ${line}, byte offset ${lo}`;
}

/** One copy of each, in @snnc/ir/node; re-exported so the commands import their I/O from one place. */
export { describeFsError, writeFileAtomic };

/** Prints diagnostics with code frames to stderr; colours only on a TTY. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined): void {
  if (diagnostics.length === 0) return;
  const color = Boolean(io.stderr.isTTY) && !process.env['NO_COLOR'];
  io.stderr.write(`${formatDiagnostics(diagnostics, sources, { color })}\n\n`);
}

export function printSummary(io: Io, diagnostics: readonly Diagnostic[], files: number): void {
  io.stderr.write(`${summarizeDiagnostics(diagnostics)} in ${files} file${files === 1 ? '' : 's'}\n`);
}

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostics, summarizeDiagnostics, type Diagnostic } from '@snnc/ir';

/** Where the CLI writes: injectable so tests run commands in-process. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
}

export function nodeIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** Reads a text file, or returns the reason it cannot be read (for SNN9001 / SNN2006). */
export function readText(file: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { error: describeFsError(e) };
  }
}

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
      return 'permission denied';
    default:
      return err.message ?? String(e);
  }
}

/** Writes via a temp file and rename, so an interrupted write never leaves half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Prints diagnostics with code frames to stderr; colours only on a TTY. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined): void {
  if (diagnostics.length === 0) return;
  const color = Boolean(io.stderr.isTTY) && !process.env['NO_COLOR'];
  io.stderr.write(`${formatDiagnostics(diagnostics, sources, { color })}\n\n`);
}

export function printSummary(io: Io, diagnostics: readonly Diagnostic[], files: number): void {
  io.stderr.write(`${summarizeDiagnostics(diagnostics)} in ${files} file${files === 1 ? '' : 's'}\n`);
}

import path from 'node:path';
import { format } from '@snnc/dsl';
import { hasErrors, makeDiagnostic, syntheticRange, type Diagnostic } from '@snnc/ir';
import { printDiagnostics, readText, writeFileAtomic, type Io } from '../io.js';

export type FmtMode = 'print' | 'check' | 'write';

/**
 * `snnc fmt FILE... [--check|--write]`. `print` writes the formatted text to stdout, `check`
 * lists files that would change (exit 1 if any), `write` rewrites them in place atomically.
 * A file with syntax errors is never rewritten.
 */
export function fmtCommand(files: string[], mode: FmtMode, io: Io): number {
  let failed = false;
  const unformatted: string[] = [];
  for (const file of files) {
    const read = readText(path.resolve(io.cwd, file));
    if ('error' in read) {
      const d = makeDiagnostic('SNN9001', syntheticRange(file), { path: file, reason: read.error });
      printDiagnostics(io, [d], () => undefined);
      failed = true;
      continue;
    }
    const result = format(read.text, { file });
    const diagnostics: Diagnostic[] = result.diagnostics;
    if (result.text === undefined || hasErrors(diagnostics)) {
      printDiagnostics(io, diagnostics, (f) => (f === file ? read.text : undefined));
      failed = true;
      continue;
    }
    switch (mode) {
      case 'print':
        io.stdout.write(result.text);
        break;
      case 'check':
        if (result.text !== read.text) unformatted.push(file);
        break;
      case 'write':
        if (result.text !== read.text) {
          writeFileAtomic(path.resolve(io.cwd, file), result.text);
          io.stderr.write(`formatted ${file}\n`);
        }
        break;
    }
  }
  if (unformatted.length > 0) {
    io.stderr.write(`${unformatted.map((f) => `${f}: not formatted`).join('\n')}\n`);
    io.stderr.write(`run \`snnc fmt --write ${unformatted.join(' ')}\` to fix\n`);
  }
  return failed || unformatted.length > 0 ? 1 : 0;
}

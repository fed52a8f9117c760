import { hasErrors, type Diagnostic } from '@snnc/ir';
import { printDiagnostics, printSummary, type Io } from '../io.js';
import { loadAndCompile } from '../source.js';

/** `snnc check FILE...`: 0 when every file is free of errors, 1 otherwise. */
export function checkCommand(files: string[], io: Io): number {
  const all: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    const loaded = loadAndCompile(file, io.cwd);
    all.push(...loaded.diagnostics);
    for (const [k, v] of loaded.sources) sources.set(k, v);
  }
  printDiagnostics(io, all, (f) => sources.get(f));
  if (all.length > 0 || files.length > 1) printSummary(io, all, files.length);
  return hasErrors(all) ? 1 : 0;
}

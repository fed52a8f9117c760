import path from 'node:path';
import { compile, type CompileResult } from '@snnc/dsl';
import { makeDiagnostic, syntheticRange, type Diagnostic } from '@snnc/ir';
import { readText } from './io.js';

export interface LoadedSource {
  /** The path as the user gave it (used in diagnostics). */
  file: string;
  text: string | undefined;
  result: CompileResult | undefined;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/**
 * Reads and compiles one `.snn` file; `use` imports are read from disk relative to it.
 * A file that cannot be read becomes an SNN9001 diagnostic, never an exception.
 */
export function loadAndCompile(file: string, cwd: string): LoadedSource {
  const abs = path.resolve(cwd, file);
  const read = readText(abs);
  if ('error' in read) {
    const d = makeDiagnostic('SNN9001', syntheticRange(file), { path: file, reason: read.error });
    return { file, text: undefined, result: undefined, diagnostics: [d], sources: new Map() };
  }
  const result = compile(read.text, {
    file,
    readFile: (p) => {
      const r = readText(path.resolve(cwd, p));
      return 'text' in r ? r.text : undefined;
    },
  });
  const sources = new Map(result.sources);
  sources.set(file, read.text);
  return { file, text: read.text, result, diagnostics: result.diagnostics, sources };
}

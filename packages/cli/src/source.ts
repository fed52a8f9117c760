import os from 'node:os';
import path from 'node:path';
import { compile, MAX_MATRIX_FILE_BYTES, tokenize, type CompileResult } from '@snnc/dsl';
import { LineMap, makeDiagnostic, syntheticRange, type Diagnostic, type Experiment, type Program, type SourceRange } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
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
    // Experiments and networks that cannot fit in this machine's memory are refused at check time.
    memoryBytes: os.totalmem(),
    // Throwing hands the reason (a device, too large, not UTF-8) to the SNN2006 at the `use`.
    readFile: (p) => {
      const r = readText(path.resolve(cwd, p));
      if ('error' in r) throw new Error(r.error);
      return r.text;
    },
    // `.npy` matrices (`transform: load("w.npy")`), at most the compiler's size cap
    readBytes: (p) => {
      const r = readRegularFile(path.resolve(cwd, p), 'source', MAX_MATRIX_FILE_BYTES);
      if (!r.ok) throw new Error(r.reason);
      return r.bytes;
    },
  });
  const sources = new Map(result.sources);
  sources.set(file, read.text);
  if (result.ir !== undefined) absolutizeDataPaths(result.ir, cwd);
  return { file, text: read.text, result, diagnostics: result.diagnostics, sources };
}

/**
 * The compiler joins IDX paths with the directory of the file that names them, relative to
 * the path the compiler was given (cwd-relative here). Made absolute once, here, the IR stays
 * correct wherever it travels: child processes of a sweep, run records, replays.
 */
function absolutizeDataPaths(program: Program, cwd: string): void {
  const fix = (e: Experiment): void => {
    const d = e.data;
    if (d.kind !== 'idx') return;
    e.data = {
      ...d,
      trainImages: path.resolve(cwd, d.trainImages),
      trainLabels: path.resolve(cwd, d.trainLabels),
      testImages: path.resolve(cwd, d.testImages),
      testLabels: path.resolve(cwd, d.testLabels),
    };
  };
  for (const e of program.experiments) fix(e);
  for (const s of program.sweeps) for (const p of s.points) fix(p.experiment);
}

/**
 * Where a runtime error about a file (a data file that is missing, truncated, gzip'd) points
 * in the spec: the string literal that names the file the message quotes. Runtime errors carry
 * no source range (the IR keeps resolved paths only), so the literal is found by resolving
 * every string of the compiled file the way the compiler resolved its data paths.
 */
export function locateQuotedPath(loaded: Pick<LoadedSource, 'file' | 'text'>, message: string, cwd: string): SourceRange | undefined {
  if (loaded.text === undefined) return undefined;
  const dir = path.dirname(path.resolve(cwd, loaded.file));
  for (const t of tokenize(loaded.text)) {
    if (t.class !== 'string' || t.text.length < 2) continue;
    const named = t.text.slice(1, -1);
    if (named === '') continue;
    if (message.includes(`\`${path.resolve(dir, named)}\``) || message.includes(`\`${named}\``)) {
      return new LineMap(loaded.text).range(loaded.file, t.start, t.end);
    }
  }
  return undefined;
}

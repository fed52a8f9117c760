import { hasErrors, makeDiagnostic, sortDiagnostics, syntheticRange, type Diagnostic, type Program } from '@snnc/ir';
import type { SnnFile } from './ast.js';
import type { LayerShapeInfo } from './check/models.js';
import { checkResources } from './check/resources.js';
import { Sink } from './check/sink.js';
import { lowerProgram } from './lower.js';
import { parse } from './parse.js';
import { resolveRelative } from './paths.js';
import { STDLIB_FILE, STDLIB_NEURONS_SOURCE, stdlibAst } from './stdlib/index.js';
import { STDLIB_NETWORKS_SOURCE } from './stdlib/networks.generated.js';

/** `use "std:networks"` imports the library of NEF networks (stdlib/networks.snn). */
export const STDLIB_NETWORKS_USE = 'std:networks';
/** How diagnostics name that library. */
export const STDLIB_NETWORKS_FILE = '<stdlib>/networks.snn';

export interface CompileOptions {
  /** The file's path, as diagnostics should print it; imports resolve against its directory. */
  file: string;
  /** Reads an imported file (or a `.csv` matrix); undefined when it does not exist. */
  readFile?: (path: string) => string | undefined;
  /** Reads a binary data file (a `.npy` matrix); undefined when it does not exist. */
  readBytes?: (path: string) => Uint8Array | undefined;
  /**
   * Memory a run may use, bytes: experiments and networks estimated above it are errors,
   * above a quarter of it warnings (default DEFAULT_MEMORY_BYTES; the CLI passes the machine's).
   */
  memoryBytes?: number;
  /** Import the standard library of neurons implicitly (default true; false compiles the library itself). */
  stdlib?: boolean;
}

export interface CompileResult {
  /** Present iff there are no errors. */
  ir?: Program;
  diagnostics: Diagnostic[];
  /** The text of every file read (the compiled file and its imports), for formatting diagnostics. */
  sources: Map<string, string>;
  /** Per-layer inferred shapes of the compiled file's models, for editor hovers. */
  layerShapes: LayerShapeInfo[];
  /** The compiled file's syntax tree (also when it has errors). */
  ast?: SnnFile;
}

/**
 * Compiles `.snn` text to IR. Never throws: user mistakes become diagnostics, and an internal
 * failure becomes an SNN1009 diagnostic rather than an exception.
 */
export function compile(text: string, opts: CompileOptions): CompileResult {
  const sources = new Map<string, string>([[opts.file, text]]);
  try {
    return compileUnsafe(text, opts, sources);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { diagnostics: [makeDiagnostic('SNN1009', syntheticRange(opts.file), { message })], sources, layerShapes: [] };
  }
}

function compileUnsafe(text: string, opts: CompileOptions, sources: Map<string, string>): CompileResult {
  const sink = new Sink();
  // The standard library of neurons comes first, as an implicit import (not listed in `imports`).
  const files: SnnFile[] = [];
  if (opts.stdlib !== false) files.push(stdlibAst());
  const imports: string[] = [];
  const loaded = new Set<string>([opts.file]);

  const load = (file: string, source: string, stack: string[]): SnnFile | undefined => {
    const parsed = parse(source, { file });
    for (const d of parsed.diagnostics) sink.add(d);
    const ast = parsed.ast;
    if (!ast) return undefined;
    for (const st of ast.statements) {
      if (st.kind !== 'use' || st.broken) continue;
      // `use "std:networks"`: the library of NEF networks shipped with the compiler
      const library = st.path === STDLIB_NETWORKS_USE;
      const target = library ? STDLIB_NETWORKS_FILE : resolveRelative(file, st.path);
      if (stack.includes(target)) {
        const cycle = [...stack.slice(stack.indexOf(target)), target].join(' -> ');
        sink.report('SNN2007', st.pathRange, { cycle });
        continue;
      }
      if (loaded.has(target)) continue;
      loaded.add(target);
      let content: string | undefined = library ? STDLIB_NETWORKS_SOURCE : undefined;
      let reason = 'no such file';
      if (library) reason = '';
      else if (!opts.readFile) reason = 'imports need a `readFile` function';
      else {
        try {
          content = opts.readFile(target);
        } catch (e) {
          reason = e instanceof Error ? e.message : String(e);
        }
      }
      if (content === undefined) {
        sink.report('SNN2006', st.pathRange, { path: st.path, reason });
        continue;
      }
      sources.set(target, content);
      imports.push(target);
      load(target, content, [...stack, target]);
    }
    files.push(ast);
    return ast;
  };

  const main = load(opts.file, text, [opts.file]);
  if (!main) return { diagnostics: finish(sink.diagnostics), sources, layerShapes: [] };
  const data = { ...(opts.readFile ? { readFile: opts.readFile } : {}), ...(opts.readBytes ? { readBytes: opts.readBytes } : {}) };
  const { program, layerShapes } = lowerProgram(files, main, imports, sink, data);
  checkResources(program, sink, opts.memoryBytes);
  const diagnostics = finish(sink.diagnostics);
  // The standard library's text, only when a diagnostic points into it (a user neuron named like a library one).
  if (diagnostics.some((d) => d.range.file === STDLIB_FILE || d.related?.some((r) => r.range.file === STDLIB_FILE))) sources.set(STDLIB_FILE, STDLIB_NEURONS_SOURCE);
  const result: CompileResult = { diagnostics, sources, layerShapes, ast: main };
  if (!hasErrors(diagnostics)) result.ir = program;
  return result;
}

/** Sorted, with exact repeats (the same model checked from two experiments) removed. */
function finish(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(ds).filter((d) => {
    const key = `${d.range.file}:${d.range.start}:${d.range.end}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

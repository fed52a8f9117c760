import { formatDiagnostic, type Diagnostic } from '@snnc/ir';
import { compile, type CompileResult } from './compile.js';

/** Test helper: compile text, with optional extra files for `use`. */
export function compileText(text: string, files: Record<string, string> = {}, file = 'main.snn'): CompileResult {
  return compile(text, { file, readFile: (p) => files[p] });
}

/** Diagnostics as `code message` lines, for compact assertions. */
export function codes(r: { diagnostics: Diagnostic[] }): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.message}`);
}

export function printed(r: CompileResult): string {
  return r.diagnostics.map((d) => formatDiagnostic(d, r.sources.get(d.range.file))).join('\n\n');
}

/** A minimal valid model around a layer chain, for shape and layer tests. */
export function modelWith(chain: string, header = 'input: [1, 28, 28], steps: 4'): string {
  return `model m(${header}) {\n  ${chain}\n}\n`;
}

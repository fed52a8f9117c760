import { describeExecution, hasErrors } from '@snnc/ir';
import { parse } from '@snnc/dsl';
import { printDiagnostics, type Io } from '../io.js';
import { loadAndCompile } from '../source.js';

export type Emit = 'ir' | 'ast';

/** `snnc compile FILE [--emit ir|ast]`: JSON on stdout; diagnostics and how each model runs on stderr. */
export function compileCommand(file: string, emit: Emit, io: Io): number {
  const loaded = loadAndCompile(file, io.cwd);
  printDiagnostics(io, loaded.diagnostics, (f) => loaded.sources.get(f));
  if (loaded.text === undefined || hasErrors(loaded.diagnostics)) return 1;
  switch (emit) {
    case 'ir':
      io.stdout.write(`${JSON.stringify(loaded.result?.ir, null, 2)}\n`);
      // How each model will run: recurrent loops step by step, the rest fused over all steps.
      for (const m of loaded.result?.ir?.models ?? []) io.stderr.write(`${describeExecution(m)}\n`);
      return 0;
    case 'ast': {
      const parsed = parse(loaded.text, { file });
      io.stdout.write(`${JSON.stringify(parsed.ast, null, 2)}\n`);
      return 0;
    }
  }
}

import type { SnnFile } from '../ast.js';
import { parse } from '../parse.js';
import { STDLIB_NEURONS_SOURCE } from './neurons.generated.js';

/** How diagnostics and `related` locations name the standard library of neurons. */
export const STDLIB_FILE = '<stdlib>/neurons.snn';

export { STDLIB_NEURONS_SOURCE };

let cached: SnnFile | undefined;

/**
 * The parsed standard library, shared by every compilation (the checks never mutate the AST).
 * Throws if the shipped library does not parse: that is a build mistake, not user input, and
 * `compile` turns it into an SNN1009 internal error.
 */
export function stdlibAst(): SnnFile {
  if (cached) return cached;
  const r = parse(STDLIB_NEURONS_SOURCE, { file: STDLIB_FILE });
  if (!r.ast || r.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`the standard library does not parse: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  }
  cached = r.ast;
  return cached;
}

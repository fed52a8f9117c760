import type { SnnFile } from '../ast.js';
import { STDLIB_NEURONS_AST_JSON } from './neurons-ast.generated.js';
import { STDLIB_NEURONS_SOURCE } from './neurons.generated.js';
import { treeFromJson } from './tree-json.js';

/** How diagnostics and `related` locations name the standard library of neurons. */
export const STDLIB_FILE = '<stdlib>/neurons.snn';

export { STDLIB_NEURONS_SOURCE };

let cached: SnnFile | undefined;

/**
 * The parsed standard library, shared by every compilation (the checks never mutate the AST).
 * It was parsed at build time (`stdlibAstModule`, which also checks that it parses without
 * errors); this only reads it back.
 */
export function stdlibAst(): SnnFile {
  cached ??= treeFromJson<SnnFile>(STDLIB_NEURONS_AST_JSON);
  return cached;
}

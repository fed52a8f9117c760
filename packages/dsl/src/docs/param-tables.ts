import { CALLABLE_KINDS, paramTableMarkdown, type CallableKind } from '../catalog/index.js';
import { allCallables } from '../catalog/library.js';

/**
 * The parameter tables of docs/language.md are generated from the parameter table, each
 * between a pair of markers naming its callable kind:
 *
 *   <!-- BEGIN GENERATED params: layer -->
 *   ...
 *   <!-- END GENERATED params: layer -->
 *
 * `npm run docs:params -w @snnc/dsl` rewrites them; a test fails when they are stale.
 */
const BLOCK = /<!-- BEGIN GENERATED params: ([a-z]+) -->\n[\s\S]*?<!-- END GENERATED params: \1 -->/g;

export interface ParamTablesResult {
  text: string;
  /** Markers naming an unknown kind. */
  problems: string[];
  /** Kinds that have a generated table in the text. */
  kinds: CallableKind[];
}

/** `text` with every generated block re-rendered from the table. */
export function renderParamTables(text: string): ParamTablesResult {
  const problems: string[] = [];
  const kinds: CallableKind[] = [];
  const out = text.replace(BLOCK, (whole, kind: string) => {
    if (!(CALLABLE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`unknown callable kind \`${kind}\` in a generated-table marker`);
      return whole;
    }
    kinds.push(kind as CallableKind);
    return `<!-- BEGIN GENERATED params: ${kind} -->\n${paramTableMarkdown(allCallables(), kind as CallableKind)}\n<!-- END GENERATED params: ${kind} -->`;
  });
  return { text: out, problems, kinds };
}

import { allCallables, KEYWORDS, neuronEntriesOf, parse } from '@snnc/dsl';
import type { SourceRange } from '@snnc/ir';
import { shapeText, type Analysis, type SymbolDef } from './analysis.js';
import type { CallableEntry } from '@snnc/dsl';
import { CATALOG, CONNECTION_OPTIONS, EXPERIMENT_FIELDS, KEYWORD_DOCS, PROBE_OPTIONS, catalogOf, contextLabel, entryMarkdown, lookup, paramLine, type CatalogEntry, type EntryContext } from './catalog.js';

/**
 * Completion, hover and go-to-definition as plain functions of (text, offset, analysis),
 * so they are tested without a browser; `monaco/language.ts` adapts them to Monaco.
 */

export type CompletionKind = 'keyword' | 'function' | 'class' | 'field' | 'variable' | 'property' | 'enum';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail: string;
  /** Markdown. */
  doc: string;
  insertText: string;
  /** `insertText` uses snippet placeholders (`${1:32}`). */
  snippet: boolean;
}

export interface Hover {
  /** Markdown paragraphs. */
  contents: string[];
  start: number;
  end: number;
}

const WORD = /[A-Za-z0-9_]/;

export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  let s = offset;
  let e = offset;
  while (s > 0 && WORD.test(text[s - 1]!)) s--;
  while (e < text.length && WORD.test(text[e]!)) e++;
  if (s === e || /[0-9]/.test(text[s]!)) return undefined;
  return { word: text.slice(s, e), start: s, end: e };
}

/** The top-level statement around an offset. */
export function enclosingStatement(a: Analysis | undefined, offset: number): SymbolDef | undefined {
  return a?.symbols.find((s) => s.body && s.body.start <= offset && offset <= s.body.end);
}

/**
 * The call whose argument list contains `offset` (`conv2d(32, ker|`), found by scanning back
 * to an unmatched `(`; `argName` is true when the cursor is where an argument name goes.
 */
export function enclosingCall(text: string, offset: number): { callee: string; argName: boolean; calleeStart: number } | undefined {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '[' || c === '{') {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      let e = i;
      while (e > 0 && /\s/.test(text[e - 1]!)) e--;
      let s = e;
      while (s > 0 && WORD.test(text[s - 1]!)) s--;
      if (s === e) return undefined;
      const between = text.slice(i + 1, offset);
      const lastSep = Math.max(between.lastIndexOf(','), -1);
      const current = between.slice(lastSep + 1);
      return { callee: text.slice(s, e), argName: /^\s*[A-Za-z_]*$/.test(current), calleeStart: s };
    }
  }
  return undefined;
}

/** Which catalogue context a call name means at an offset (LIF is a trained neuron or a NEF type). */
function contextAt(a: Analysis | undefined, offset: number): EntryContext[] {
  const st = enclosingStatement(a, offset);
  switch (st?.kind) {
    case 'network':
      return ['ensemble', 'signal', 'function'];
    case 'model':
      return ['layer', 'neuron', 'encoder', 'decoder', 'surrogate'];
    case 'neuron':
      return ['neuron', 'surrogate'];
    case 'experiment':
    case 'sweep':
      return ['optimizer', 'schedule', 'data', 'normalize', 'target', 'loss', 'init', 'energy', 'regularize'];
    default:
      return ['layer', 'neuron', 'encoder', 'decoder', 'surrogate', 'ensemble', 'signal', 'optimizer', 'schedule', 'data', 'normalize', 'target', 'loss', 'function'];
  }
}

function entryFor(name: string, contexts: EntryContext[], catalog: readonly CatalogEntry[]): CallableEntry | undefined {
  for (const c of contexts) {
    const e = lookup(name, c, catalog)[0];
    if (e) return e;
  }
  return lookup(name, undefined, catalog)[0];
}

let lastCatalog: { text: string; catalog: readonly CatalogEntry[] } | undefined;

/**
 * The catalogue for a document: the table plus the document's own neuron definitions, so a
 * user's `neuron Izh(a: 0.02, ...) { ... }` completes and hovers like a library neuron.
 * Cached for the last text (completion and hover ask repeatedly for the same one).
 */
export function catalogFor(text: string): readonly CatalogEntry[] {
  if (lastCatalog?.text === text) return lastCatalog.catalog;
  const ast = parse(text, { file: 'editor.snn' }).ast;
  const own = ast ? neuronEntriesOf(ast) : [];
  lastCatalog = { text, catalog: own.length > 0 ? catalogOf(allCallables(own)) : CATALOG };
  return lastCatalog.catalog;
}

/**
 * The parameter list an argument list belongs to: the callee's, or for the options of
 * `connect a -> b (...)` and `probe x (...)` (whose `(` follows an endpoint, not a callee)
 * the statement's.
 */
function argsOwner(text: string, call: { callee: string; calleeStart: number }, contexts: EntryContext[]): CallableEntry | undefined {
  const catalog = catalogFor(text);
  const lineStart = text.lastIndexOf('\n', call.calleeStart) + 1;
  const statement = /^\s*(connect|probe)\b/.exec(text.slice(lineStart, call.calleeStart));
  if (statement) return statement[1] === 'connect' ? CONNECTION_OPTIONS : PROBE_OPTIONS;
  return entryFor(call.callee, contexts, catalog);
}

/** Names visible at an offset: top-level definitions and the locals of the enclosing block. */
export function visibleSymbols(a: Analysis | undefined, offset: number): SymbolDef[] {
  return (a?.symbols ?? []).filter((s) => !s.scope || (s.scope.start <= offset && offset <= s.scope.end));
}

export function complete(text: string, offset: number, a: Analysis | undefined): Completion[] {
  const call = enclosingCall(text, offset);
  const contexts = contextAt(a, offset);
  const out: Completion[] = [];
  if (call?.argName) {
    const entry = argsOwner(text, call, contexts);
    for (const p of entry?.params ?? []) {
      out.push({ label: p.name, kind: 'property', detail: `${entry!.name} parameter`, doc: paramLine(p), insertText: `${p.name}: `, snippet: false });
    }
  }
  const st = enclosingStatement(a, offset);
  if ((st?.kind === 'experiment' || st?.kind === 'sweep') && !call) {
    for (const f of EXPERIMENT_FIELDS) out.push({ label: f.name, kind: 'field', detail: 'experiment field', doc: paramLine(f), insertText: `${f.name}: `, snippet: false });
  }
  const seen = new Set<string>();
  for (const c of contexts) {
    for (const e of catalogFor(text)) {
      if (e.kind !== c || seen.has(e.name)) continue;
      seen.add(e.name);
      out.push({
        label: e.name,
        kind: e.kind === 'layer' || e.kind === 'function' ? 'function' : e.kind === 'neuron' || e.kind === 'ensemble' ? 'class' : 'enum',
        detail: contextLabel(e.kind),
        doc: entryMarkdown(e),
        insertText: e.snippet,
        snippet: e.snippet.includes('$'),
      });
    }
  }
  for (const s of visibleSymbols(a, offset)) {
    out.push({ label: s.name, kind: 'variable', detail: s.detail, doc: s.detail, insertText: s.name, snippet: false });
  }
  for (const k of KEYWORDS) out.push({ label: k, kind: 'keyword', detail: 'keyword', doc: KEYWORD_DOCS[k] ?? '', insertText: k, snippet: false });
  return out;
}

export function hover(text: string, offset: number, a: Analysis | undefined): Hover | undefined {
  const w = wordAt(text, offset);
  if (!w) return undefined;
  const contents: string[] = [];
  // Shapes: every model instance whose layer covers the word, innermost layer first.
  const layers = (a?.layers ?? []).filter((l) => l.start <= w.start && w.end <= l.end).sort((x, y) => x.end - x.start - (y.end - y.start));
  if (layers.length > 0) {
    const first = layers[0]!;
    const same = layers.filter((l) => l.start === first.start && l.end === first.end);
    contents.push(
      same
        .map((l) => {
          const where = same.length > 1 || l.instance.includes('(') ? ` in \`${l.instance}\`` : '';
          const shapes = l.inShape ? `${shapeText(l.inShape)} → **${shapeText(l.outShape)}**` : `output **${shapeText(l.outShape)}**`;
          return `\`${l.id}\`${where}: ${shapes}`;
        })
        .join('  \n'),
    );
  }
  const call = enclosingCall(text, w.start);
  const after = text.slice(w.end).match(/^\s*:/);
  if (call && after) {
    const entry = argsOwner(text, call, contextAt(a, offset));
    const p = entry?.params.find((x) => x.name === w.word);
    if (p && entry) {
      contents.push(`${entry.name} · ${paramLine(p)}`);
      return { contents, start: w.start, end: w.end };
    }
  }
  const st = enclosingStatement(a, offset);
  if (after && (st?.kind === 'experiment' || st?.kind === 'sweep')) {
    const f = EXPERIMENT_FIELDS.find((x) => x.name === w.word);
    if (f) {
      contents.push(paramLine(f));
      return { contents, start: w.start, end: w.end };
    }
  }
  const sym = resolveSymbol(a, w.word, offset);
  if (sym) contents.push(`\`${sym.detail}\``);
  else if (KEYWORDS.includes(w.word)) contents.push(`**${w.word}** (keyword): ${KEYWORD_DOCS[w.word] ?? ''}`);
  else {
    const entry = entryFor(w.word, contextAt(a, offset), catalogFor(text));
    if (entry) contents.push(entryMarkdown(entry));
  }
  return contents.length > 0 ? { contents, start: w.start, end: w.end } : undefined;
}

/** The definition a name refers to at an offset: a local of the enclosing block wins. */
export function resolveSymbol(a: Analysis | undefined, name: string, offset: number): SymbolDef | undefined {
  const candidates = visibleSymbols(a, offset).filter((s) => s.name === name);
  return candidates.find((s) => s.scope) ?? candidates[0];
}

export function definition(text: string, offset: number, a: Analysis | undefined): SourceRange | undefined {
  const w = wordAt(text, offset);
  return w ? resolveSymbol(a, w.word, offset)?.range : undefined;
}

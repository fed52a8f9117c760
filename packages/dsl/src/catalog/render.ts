import { assertNever } from '@snnc/ir';
import type { CallableEntry, CallableKind, NumSpec, ParamEntry } from './types.js';

/**
 * Text rendered from the parameter table, shared by the editor (Markdown hovers and
 * completion details), `snnc help` (plain text) and docs/language.md (Markdown tables).
 */

export function kindLabel(k: CallableKind): string {
  switch (k) {
    case 'neuron':
      return 'trained neuron';
    case 'surrogate':
      return 'surrogate gradient';
    case 'layer':
      return 'layer';
    case 'encoder':
      return 'encoder';
    case 'decoder':
      return 'decoder';
    case 'model':
      return 'model header';
    case 'experiment':
      return 'experiment fields';
    case 'data':
      return 'data set';
    case 'normalize':
      return 'input normalisation';
    case 'target':
      return 'target code';
    case 'loss':
      return 'loss';
    case 'optimizer':
      return 'optimizer';
    case 'schedule':
      return 'learning-rate schedule';
    case 'init':
      return 'weight initialisation';
    case 'energy':
      return 'energy cost table';
    case 'regularize':
      return 'loss regulariser';
    case 'network':
      return 'NEF network settings';
    case 'ensemble':
      return 'NEF neuron type';
    case 'signal':
      return 'NEF input signal';
    case 'connection':
      return 'NEF connection options';
    case 'probe':
      return 'NEF probe options';
    case 'learning':
      return 'NEF learning rule';
    case 'synapse':
      return 'NEF synapse';
    case 'matrix':
      return 'matrix builder';
    case 'function':
      return 'expression function';
    default:
      return assertNever(k);
  }
}

const fmt = (n: number): string => String(n);
const withArticle = (s: string): string => `${/^[aeiou]/i.test(s) ? 'an' : 'a'} ${s}`;

/** `> 0`, `>= 1 and < 1`...: the bounds of a number, or undefined when unbounded. */
function boundsText(spec: NumSpec): string | undefined {
  const lo = spec.min === undefined ? undefined : `${spec.minOpen ? '>' : '>='} ${fmt(spec.min)}`;
  const hi = spec.max === undefined ? undefined : `${spec.maxOpen ? '<' : '<='} ${fmt(spec.max)}`;
  return lo && hi ? `${lo} and ${hi}` : (lo ?? hi);
}

/** What values a parameter takes, in a few words: `integer >= 1`, `N or [rows, columns], integers >= 1`. */
export function valueText(p: ParamEntry): string {
  const spec = p.num ?? {};
  const bounds = boundsText(spec);
  const num = spec.integer ? 'integer' : 'number';
  const numWithBounds = bounds ? `${num} ${bounds}` : num;
  const words = (p.choices ?? []).map((c) => `\`${c}\``).join(', ');
  const orWords = (s: string) => (words ? `${s}, or ${words}` : s);
  switch (p.type) {
    case 'number':
    case 'integer':
      return orWords(p.type === 'integer' && !bounds ? 'integer' : numWithBounds);
    case 'boolean':
      return '`true` or `false`';
    case 'word':
      return p.callKind && !words ? withArticle(kindLabel(p.callKind)) : `one of ${words}`;
    case 'string':
      return 'a string';
    case 'pair':
      return orWords(`N or [rows, columns], ${spec.integer ? 'integers' : 'numbers'}${bounds ? ` ${bounds}` : ''}`);
    case 'range':
      return `[low, high], low <= high${bounds ? `, each ${bounds}` : ''}`;
    case 'numbers':
      return `a list of ${spec.integer ? 'integers' : 'numbers'}${bounds ? ` ${bounds}` : ''}`;
    case 'shape':
      return '[C, H, W], [C, L] or [N], integers >= 1';
    case 'call':
      return p.callKind ? withArticle(kindLabel(p.callKind)) : 'a call';
    case 'expression':
      return 'an expression, or a list of them';
    case 'matrix':
      return 'a scalar, a list (diagonal) or a matrix';
    case 'vectors':
      return orWords('a list of vectors');
    case 'map':
      return '{time: value, ...}';
    case 'model':
      return 'a model, optionally with arguments';
    default:
      return assertNever(p.type);
  }
}

export function defaultText(p: ParamEntry): string {
  return p.default === undefined ? 'required' : p.default.text;
}

/** One parameter as a Markdown line: `` `kernel`: kernel size (pair ..., unit: pixels, required) ``. */
export function paramLine(p: ParamEntry): string {
  const extra = [p.positional ? 'positional' : undefined, valueText(p), p.unit ? `unit: ${p.unit}` : undefined, p.default !== undefined ? `default \`${p.default.text}\`` : 'required'];
  return `\`${p.name}\`: ${p.doc} (${extra.filter(Boolean).join('; ')})`;
}

/** The Markdown shown for an entry in a hover or completion details. */
export function callableMarkdown(e: CallableEntry): string {
  const lines = [`**${e.name}** (${kindLabel(e.kind)}): ${e.doc}`];
  if (e.params.length > 0) {
    lines.push('');
    for (const p of e.params) lines.push(`- ${paramLine(p)}`);
  }
  return lines.join('\n');
}

/** `conv2d(filters, kernel:, stride: 1, padding: 0, bias: true)`: how a call is written. */
export function callSyntax(e: CallableEntry): string {
  if (e.params.length === 0) return e.name;
  const args = e.params.map((p) => (p.positional ? (p.default ? `${p.name} = ${p.default.text}` : p.name) : `${p.name}: ${p.default ? p.default.text : '...'}`));
  return `${e.name}(${args.join(', ')})`;
}

/** Plain text for `snnc help NAME`: a header line, then one aligned line per parameter. */
export function callableText(e: CallableEntry): string {
  const out = [`${e.name} (${kindLabel(e.kind)}): ${e.doc}`];
  if (e.params.length === 0) return `${out[0]}\n  (no parameters)\n`;
  out.push(`  ${callSyntax(e)}`, '');
  const rows = e.params.map((p) => [p.name + (p.positional ? ' (positional)' : ''), defaultText(p), valueText(p).replaceAll('`', '') + (p.unit ? ` (${p.unit})` : ''), p.doc.replaceAll('`', '')]);
  const header = ['parameter', 'default', 'values', 'meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  out.push(line(header), ...rows.map(line));
  return `${out.join('\n')}\n`;
}

/** Plain text for `snnc help callables`: every callable by kind, one line each. */
export function callablesIndexText(table: readonly CallableEntry[], kinds: readonly CallableKind[]): string {
  const out: string[] = [];
  for (const k of kinds) {
    const entries = table.filter((e) => e.kind === k);
    if (entries.length === 0) continue;
    out.push(`${kindLabel(k)}:`);
    const w = Math.max(...entries.map((e) => e.name.length));
    for (const e of entries) out.push(`  ${e.name.padEnd(w)}  ${e.doc.replaceAll('`', '')}`);
    out.push('');
  }
  out.push('run `snnc help NAME` for the parameters of one of them');
  return `${out.join('\n')}\n`;
}

const cell = (s: string): string => s.replaceAll('|', '\\|');

/**
 * A Markdown table of the parameters of every entry of one kind (one row per parameter), or
 * of the entries themselves when none of them takes parameters.
 */
export function paramTableMarkdown(table: readonly CallableEntry[], kind: CallableKind): string {
  const entries = table.filter((e) => e.kind === kind);
  const withParams = entries.some((e) => e.params.length > 0);
  const out: string[] = [];
  if (!withParams) {
    out.push(`| ${kind} | meaning |`, '| --- | --- |');
    for (const e of entries) out.push(`| \`${e.name}\` | ${cell(e.doc)} |`);
    return out.join('\n');
  }
  const single = entries.length === 1;
  out.push(single ? '| parameter | default | values | unit | meaning |' : `| ${kind} | parameter | default | values | unit | meaning |`);
  out.push(single ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- | --- | --- |');
  for (const e of entries) {
    const title = `\`${e.name}\`: ${cell(e.doc)}`;
    if (e.params.length === 0 && !single) {
      out.push(`| ${title} | | | | | |`);
      continue;
    }
    e.params.forEach((p, i) => {
      const name = `\`${p.name}\`${p.positional ? ' (positional)' : ''}`;
      const dflt = p.default === undefined ? 'required' : p.default.value === undefined ? p.default.text : `\`${p.default.text}\``;
      const row = [name, dflt, cell(valueText(p)), p.unit ?? '', cell(p.doc)];
      const first = i === 0 ? title : '';
      out.push(`| ${(single ? row : [first, ...row]).join(' | ')} |`);
    });
  }
  return out.join('\n');
}

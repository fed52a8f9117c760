import { assertNever, type Diagnostic } from '@snnc/ir';
import type { Arg, AstExpr, Comment, Endpoint, Field, ModelItem, NetworkItem, NeuronItem, Param, SliceSpec, Statement } from './ast.js';
import { parse } from './parse.js';

export interface FormatResult {
  /** The canonical text; present iff the input parses without syntax errors. */
  text?: string;
  diagnostics: Diagnostic[];
}

const INDENT = '  ';
/** A matrix whose one-line form is longer than this many characters prints one row per line. */
const MATRIX_WRAP = 80;
/** Errors that leave the tree incomplete; anything later (unknown units, ...) still formats. */
const STRUCTURAL = new Set(['SNN1001', 'SNN1002', 'SNN1003']);

/**
 * The canonical layout of a `.snn` file: two-space indents, one statement, layer chain, field
 * or network statement per line, single spaces around operators, at most one blank line kept
 * where the source had some. Every comment is kept: one on the line of an item stays there;
 * one inside an item (a long argument list, say) moves to the line before it. The output
 * parses to the same tree, and formatting it again changes nothing.
 */
export function format(text: string, opts: { file: string }): FormatResult {
  const parsed = parse(text, opts);
  const diagnostics = parsed.diagnostics;
  if (!parsed.ast || diagnostics.some((d) => STRUCTURAL.has(d.code))) return { diagnostics };
  const out = new Out(text);
  const top = distribute(parsed.ast.comments, parsed.ast.statements);
  let prevEnd = -1;
  parsed.ast.statements.forEach((st, i) => {
    prevEnd = emitLeading(out, top.leading[i]!, '', prevEnd, out.length > 0);
    if (out.length > 0 && prevEnd >= 0 && st.range.line - prevEnd > 1) out.push('');
    const inner = top.inner[i]!;
    statement(out, st, inner, top.trailing[i]);
    prevEnd = top.trailing[i]?.range.endLine ?? st.range.endLine;
  });
  emitLeading(out, top.rest, '', prevEnd, out.length > 0);
  return { text: out.text().replace(/\n{3,}/g, '\n\n') + '\n', diagnostics };
}

/**
 * The output lines. A line may end in a trailing comment; `text()` aligns the comments of
 * consecutive lines at one indentation (a run, as gofmt aligns them) two spaces after the
 * widest line's code. A comment on a line whose code the formatter leaves as written keeps
 * its column when that is further right: an alignment the author made (across blocks, say)
 * stays, and formatting twice changes nothing.
 */
class Out {
  private readonly lines: { code: string; trailing?: Comment }[] = [];

  constructor(private readonly source: string) {}

  get length(): number {
    return this.lines.length;
  }

  push(code: string, trailing?: Comment): void {
    this.lines.push(trailing ? { code, trailing } : { code });
  }

  text(): string {
    const printed = this.lines.map((l) => l.code);
    const lastLine = (code: string) => code.slice(code.lastIndexOf('\n') + 1);
    const indent = (code: string) => /^ */.exec(lastLine(code))![0].length;
    let i = 0;
    while (i < this.lines.length) {
      if (this.lines[i]!.trailing === undefined) {
        i++;
        continue;
      }
      // A run: this line and the following single-line ones with trailing comments at its indentation.
      let j = i + 1;
      while (j < this.lines.length && this.lines[j]!.trailing !== undefined && !this.lines[j]!.code.includes('\n') && indent(this.lines[j]!.code) === indent(this.lines[i]!.code)) j++;
      const want = (k: number) => {
        const { code, trailing } = this.lines[k]!;
        const c = trailing!;
        const before = this.source.slice(c.range.start - (c.range.column - 1), c.range.start).trimEnd();
        const minimum = lastLine(code).length + 2;
        return before === lastLine(code) ? Math.max(minimum, c.range.column - 1) : minimum;
      };
      let column = 0;
      for (let k = i; k < j; k++) column = Math.max(column, want(k));
      for (let k = i; k < j; k++) {
        const l = this.lines[k]!;
        printed[k] = l.code + ' '.repeat(column - lastLine(l.code).length) + l.trailing!.text;
      }
      i = j;
    }
    return printed.join('\n');
  }
}

interface Spanned {
  range: { start: number; end: number; line: number; endLine: number };
}

interface Distribution {
  leading: Comment[][];
  trailing: (Comment | undefined)[];
  inner: Comment[][];
  rest: Comment[];
}

/** Assigns comments to items: inside one, trailing on its last line, or leading the next. */
function distribute(comments: readonly Comment[], items: readonly Spanned[]): Distribution {
  const d: Distribution = { leading: items.map(() => []), trailing: items.map(() => undefined), inner: items.map(() => []), rest: [] };
  for (const c of comments) {
    const i = items.findIndex((it) => c.range.start >= it.range.start && c.range.end <= it.range.end);
    if (i >= 0) {
      d.inner[i]!.push(c);
      continue;
    }
    let p = -1;
    for (let k = 0; k < items.length; k++) if (items[k]!.range.end <= c.range.start) p = k;
    const prev = items[p];
    if (prev && c.range.line === prev.range.endLine && d.trailing[p] === undefined && (d.leading[p + 1]?.length ?? 0) === 0 && !c.text.includes('\n')) {
      d.trailing[p] = c;
      continue;
    }
    const n = items.findIndex((it) => it.range.start >= c.range.end);
    if (n >= 0) d.leading[n]!.push(c);
    else d.rest.push(c);
  }
  return d;
}

/** Prints leading comments, keeping one blank line where the source had any; returns the last line used. */
function emitLeading(out: Out, comments: readonly Comment[], indent: string, prevEnd: number, blankAllowed: boolean): number {
  let last = prevEnd;
  for (const c of comments) {
    if (blankAllowed && last >= 0 && c.range.line - last > 1) out.push('');
    out.push(indent + c.text);
    last = c.range.endLine;
    blankAllowed = true;
  }
  return last;
}

function statement(out: Out, st: Statement, inner: Comment[], trailing: Comment | undefined): void {
  switch (st.kind) {
    case 'use':
      for (const c of inner) out.push(c.text);
      out.push(`use ${quote(st.path)}`, trailing);
      return;
    case 'neuron':
      if (st.definition) {
        block(out, `neuron ${st.name.name}${params(st.definition.params)} {`, st.range.line, st.definition.items, inner, trailing, neuronItem);
        return;
      }
      for (const c of inner) out.push(c.text);
      out.push(`neuron ${st.name.name} = ${st.value ? expr(st.value) : ''}`, trailing);
      return;
    case 'model':
      block(out, `model ${st.name.name}${params(st.params)} {`, st.range.line, st.items, inner, trailing, modelItem);
      return;
    case 'block': {
      const ps = st.hasParamList ? `(${st.params.map((p) => (p.value ? `${p.name.name}: ${expr(p.value)}` : p.name.name)).join(', ')})` : '';
      block(out, `block ${st.name.name}${ps} {`, st.range.line, st.items, inner, trailing, modelItem);
      return;
    }
    case 'network':
      block(out, `network ${st.name.name}${params(st.params)} {`, st.range.line, st.items, inner, trailing, networkItem);
      return;
    case 'experiment':
    case 'sweep': {
      const head = st.kind === 'experiment' ? `experiment ${st.name.name}${st.base ? ` from ${st.base.name}` : ''} {` : `sweep ${st.name.name} from ${st.base.name} {`;
      const fields = st.kind === 'experiment' ? st.fields : st.axes;
      if (fields.length === 1 && inner.length === 0) {
        out.push(`${head} ${field(fields[0]!)} }`, trailing);
        return;
      }
      block(out, head, st.range.line, fields, inner, trailing, field);
      return;
    }
    default:
      assertNever(st);
  }
}

/** A `{ ... }` body, one item per line, with the comments that fall inside the statement. */
function block<T extends Spanned>(out: Out, head: string, headLine: number, items: readonly T[], comments: Comment[], trailing: Comment | undefined, print: (item: T) => string): void {
  const firstStart = items[0]?.range.start ?? Infinity;
  const headComments = comments.filter((c) => c.range.line === headLine && c.range.start < firstStart && !c.text.includes('\n'));
  const headTrailing = headComments[0];
  const rest = comments.filter((c) => c !== headTrailing);
  out.push(head, headTrailing);
  const d = distribute(rest, items);
  let prevEnd = headLine;
  items.forEach((item, i) => {
    prevEnd = emitLeading(out, d.leading[i]!, INDENT, prevEnd, prevEnd !== headLine);
    if (prevEnd !== headLine && item.range.line - prevEnd > 1 && d.inner[i]!.length === 0) out.push('');
    for (const c of d.inner[i]!) out.push(INDENT + c.text);
    out.push(INDENT + print(item).replace(/\n/g, `\n${INDENT}`), d.trailing[i]);
    prevEnd = d.trailing[i]?.range.endLine ?? item.range.endLine;
  });
  emitLeading(out, d.rest, INDENT, prevEnd, prevEnd !== headLine);
  out.push('}', trailing);
}

function params(ps: readonly Param[]): string {
  return ps.length === 0 ? '' : `(${ps.map((p) => `${p.name.name}: ${expr(p.value)}`).join(', ')})`;
}

function modelItem(item: ModelItem): string {
  switch (item.kind) {
    case 'encode':
      return `encode ${expr(item.value)}`;
    case 'decode':
      return `decode ${expr(item.value)}`;
    case 'chain':
      return `${item.name ? `${item.name.name} = ` : ''}${item.layers.map(expr).join(' -> ')}`;
    default:
      return assertNever(item);
  }
}

function neuronItem(item: NeuronItem): string {
  switch (item.kind) {
    case 'input':
      return `input ${item.name.name}`;
    case 'state':
      return `state ${item.name.name} = ${expr(item.init)}`;
    case 'ode':
      return `d${item.target.name}/dt = ${expr(item.rhs)}`;
    case 'update':
      return `${item.target.name} ${item.op} ${expr(item.value)}`;
    case 'spike':
      return `spike when ${expr(item.condition)}${item.reset.length > 0 ? ` { ${item.reset.map((a) => `${a.target.name} ${a.op} ${expr(a.value)}`).join('  ')} }` : ''}`;
    case 'refractory':
      return `refractory ${expr(item.value)}`;
    case 'surrogate':
      return `surrogate ${expr(item.value)}`;
    case 'integrate':
      return `integrate ${item.scheme.name}`;
    case 'trainable':
      return `trainable ${item.name.name} = ${expr(item.init)}`;
    default:
      return assertNever(item);
  }
}

function field(f: Field): string {
  return `${f.path.map((p) => p.name).join('.')}: ${expr(f.value)}`;
}

function networkItem(item: NetworkItem): string {
  switch (item.kind) {
    case 'setting':
      return `${item.setting} ${expr(item.value)}`;
    case 'input':
      return `input ${item.name.name} = ${expr(item.value)}`;
    case 'ensemble':
      return `ensemble ${item.name.name} = ${expr(item.value)}`;
    case 'subnetwork':
      return `network ${item.name.name} = ${expr(item.value)}`;
    case 'connect':
      return `connect ${item.name ? `${item.name.name} = ` : ''}${endpoint(item.pre)} -> ${endpoint(item.post)}${item.args ? ` (${args(item.args)})` : ''}`;
    case 'probe':
      return `probe ${item.name ? `${item.name.name} = ` : ''}${endpoint(item.target)}${item.args ? ` (${args(item.args)})` : ''}`;
    default:
      return assertNever(item);
  }
}

function endpoint(e: Endpoint): string {
  return e.name.name + e.parts.map((p) => (p.kind === 'attr' ? `.${p.name.name}` : slice(p.spec))).join('');
}

function slice(s: SliceSpec): string {
  switch (s.kind) {
    case 'index':
      return `[${expr(s.index)}]`;
    case 'range':
      return `[${s.start ? expr(s.start) : ''}:${s.end ? expr(s.end) : ''}]`;
    case 'list':
      return `[${s.items.map(expr).join(', ')}]`;
    default:
      return assertNever(s);
  }
}

function args(as: readonly Arg[]): string {
  return as.map((a) => (a.name ? `${a.name.name}: ${expr(a.value)}` : expr(a.value))).join(', ');
}

/** Expressions print as parsed: the tree keeps the source's parentheses, so none are added. */
export function expr(e: AstExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return quote(e.value);
    case 'ident':
      return e.name;
    case 'list': {
      const flat = `[${e.items.map(expr).join(', ')}]`;
      // a long matrix (a list of lists) gets one row per line, indented by its statement's printer
      const matrix = e.items.length > 1 && e.items.every((i) => i.kind === 'list');
      if (!matrix || flat.length <= MATRIX_WRAP) return flat;
      return `[\n${e.items.map((i) => `${INDENT}${expr(i).replace(/\n/g, `\n${INDENT}`)}`).join(',\n')}\n]`;
    }
    case 'map':
      return `{${e.entries.map((en) => `${expr(en.key)}: ${expr(en.value)}`).join(', ')}}`;
    case 'call':
      return `${e.callee.name}(${args(e.args)})`;
    case 'unary':
      return `${e.op}${expr(e.arg)}`;
    case 'binary':
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case 'index':
      return `${expr(e.target)}[${expr(e.index)}]`;
    case 'member':
      return `${expr(e.target)}.${e.name.name}`;
    case 'paren':
      return `(${expr(e.inner)})`;
    default:
      return assertNever(e);
  }
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

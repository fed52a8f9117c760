import { didYouMean, type Connection, type NefEndpoint, type Probe, type ProbeAttr, type SourceRange } from '@snnc/ir';
import type { AstExpr, Endpoint, NetworkItem, SliceSpec } from '../ast.js';
import { callable, numOf, signatureOf } from '../catalog/index.js';
import { bindArgs } from './args.js';
import { unwrapParens } from './describe.js';
import { lowerExprList, type ExprScope } from './functions.js';
import { NEF_DEFAULTS, type NetCtx, type Obj } from './nef-context.js';
import { readNumber, type ReadCtx } from './read.js';
import type { Sink } from './sink.js';

/** An endpoint with what it names: `ab[0]` is the ensemble `ab`, dimension 0. */
interface ResolvedEndpoint {
  endpoint: NefEndpoint;
  attr: 'neurons' | 'spikes' | 'voltage' | null;
  obj: Obj;
  text: string;
}

/** `name`, `name.neurons` (or `.spikes`/`.voltage` for probes), each optionally sliced once. */
function readEndpoint(ep: Endpoint, role: 'pre' | 'post' | 'probe', ctx: NetCtx): ResolvedEndpoint | undefined {
  const name = ep.name.name;
  const obj = ctx.objects.get(name);
  if (!obj) {
    if (name !== '' && !ctx.declared.has(name)) ctx.sink.report('SNN2001', ep.name.range, { what: 'input or ensemble', name }, didYouMean(name, [...ctx.declared]));
    return undefined;
  }
  const attrs = role === 'probe' ? ['neurons', 'spikes', 'voltage'] : ['neurons'];
  let attr: ResolvedEndpoint['attr'] = null;
  let slice: number[] | null = null;
  let text = name;
  let dims = obj.value.dims;
  for (const part of ep.parts) {
    if (part.kind === 'attr') {
      const a = part.name.name;
      if (attr !== null || slice !== null || !attrs.includes(a) || obj.kind !== 'ensemble') {
        const why = obj.kind !== 'ensemble' ? `an input has no \`.${a}\`` : attr !== null || slice !== null ? `\`.${a}\` must come first and only once` : `\`${name}\` has no \`.${a}\` (use ${attrs.map((x) => `\`.${x}\``).join(', ')})`;
        ctx.sink.report(role === 'probe' ? 'SNN5009' : 'SNN5012', part.range, { message: why }, obj.kind === 'ensemble' ? didYouMean(a, attrs) : undefined);
        return undefined;
      }
      attr = a as ResolvedEndpoint['attr'];
      dims = obj.value.n;
      text += `.${a}`;
      continue;
    }
    if (slice !== null) {
      ctx.sink.report('SNN5012', part.range, { message: 'only one slice per endpoint' });
      return undefined;
    }
    const sel = readSlice(part.spec, name, dims, ctx);
    if (!sel) return undefined;
    slice = sel.indices;
    text += sel.text;
    dims = sel.indices.length;
  }
  const kind: NefEndpoint['kind'] = attr !== null ? 'neurons' : obj.kind;
  return { endpoint: { name, kind, slice, dims, range: ep.range }, attr, obj, text };
}

/** `[i]`, `[a:b]` (either end optional) or `[i, j, ...]`, as selected indices below `dims`. */
function readSlice(spec: SliceSpec, name: string, dims: number, ctx: NetCtx): { indices: number[]; text: string } | undefined {
  const index = (e: AstExpr): number | undefined => {
    const v = readNumber(e, 'index', { integer: true }, ctx);
    if (v === undefined) return undefined;
    if (v < 0 || v >= dims) {
      ctx.sink.report('SNN5002', e.range, { index: v, name, dims });
      return undefined;
    }
    return v;
  };
  switch (spec.kind) {
    case 'index': {
      const i = index(spec.index);
      return i === undefined ? undefined : { indices: [i], text: `[${i}]` };
    }
    case 'list': {
      const out: number[] = [];
      for (const item of spec.items) {
        const i = index(item);
        if (i === undefined) return undefined;
        out.push(i);
      }
      return { indices: out, text: `[${out.join(',')}]` };
    }
    case 'range': {
      const bound = (e: AstExpr | undefined, dflt: number): number | undefined => {
        if (!e) return dflt;
        const v = readNumber(e, 'slice bound', { integer: true }, ctx);
        if (v === undefined) return undefined;
        if (v < 0 || v > dims) {
          ctx.sink.report('SNN5002', e.range, { index: v, name, dims });
          return undefined;
        }
        return v;
      };
      const a = bound(spec.start, 0);
      const b = bound(spec.end, dims);
      if (a === undefined || b === undefined) return undefined;
      if (b <= a) {
        ctx.sink.report('SNN5002', spec.range, { index: `${a}:${b} (an empty range)`, name, dims });
        return undefined;
      }
      return { indices: Array.from({ length: b - a }, (_, i) => a + i), text: `[${a}:${b}]` };
    }
    default:
      return spec satisfies never;
  }
}

export function readConnection(item: Extract<NetworkItem, { kind: 'connect' }>, index: number, ctx: NetCtx): Connection | undefined {
  const sink = ctx.sink;
  const pre = readEndpoint(item.pre, 'pre', ctx);
  const post = readEndpoint(item.post, 'post', ctx);
  const args = item.args ? bindArgs(item.args, signatureOf(callable('connection', 'connect')), item.range, sink) : new Map();
  if (!pre || !post) return undefined;
  if (post.obj.kind === 'input') {
    sink.report('SNN5012', item.post.range, { message: `\`${post.text}\` is an input: inputs produce values and cannot receive a connection` });
    return undefined;
  }
  const before = sink.errorCount;
  let fn: Connection['function'] = null;
  const f = args.get('function');
  if (f) {
    if (pre.endpoint.kind === 'neurons') {
      sink.report('SNN5012', f.range, { message: `a function needs a decoded value, but \`${pre.text}\` is neurons` });
      return undefined;
    }
    const scope: ExprScope = { vars: new Map([['x', pre.endpoint.dims]]), consts: ctx.env, preName: pre.text };
    fn = lowerExprList(f.value, scope, sink) ?? null;
    if (!fn) return undefined;
  }
  const sizeIn = fn ? fn.length : pre.endpoint.dims;
  const t = args.get('transform');
  const transform = readTransform(t?.value, sizeIn, post, item.range, ctx);
  const s = args.get('synapse');
  const synapse = s ? readSynapse(s.value, ctx) : NEF_DEFAULTS.synapse;
  if (!transform || synapse === undefined || sink.errorCount !== before) return undefined;
  if (synapse === null && pre.endpoint.name === post.endpoint.name) {
    sink.report('SNN5004', s?.range ?? item.range, { name: pre.endpoint.name });
    return undefined;
  }
  return { id: `conn_${index}`, pre: pre.endpoint, post: post.endpoint, function: fn, transform, synapse, range: item.range };
}

/** `none`, or a time constant (seconds or a time unit). */
function readSynapse(e: AstExpr, ctx: ReadCtx): number | null | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'ident' && x.name === 'none') return null;
  return readNumber(e, 'synapse', numOf(callable('connection', 'connect'), 'synapse'), ctx);
}

/** Entries of a connection's full transform matrix, at most (2^24: 128 MiB of float64). */
const MAX_TRANSFORM_ENTRIES = 2 ** 24;

/** Scalar (times identity), vector (diagonal) or full post x in matrix; always returned full. */
function readTransform(e: AstExpr | undefined, sizeIn: number, post: ResolvedEndpoint, range: SourceRange, ctx: NetCtx): number[][] | undefined {
  const out = post.endpoint.dims;
  // Written out in full below: refuse what would not fit before allocating it (`c.neurons` of
  // 1e8 neurons, or 1e9 dimensions).
  if (out * sizeIn > MAX_TRANSFORM_ENTRIES) {
    ctx.sink.report('SNN5402', e?.range ?? range, { actual: (out * sizeIn).toLocaleString('en-US'), max: MAX_TRANSFORM_ENTRIES.toLocaleString('en-US') }, 'connect fewer dimensions or neurons');
    return undefined;
  }
  const diag = (d: number[]) => Array.from({ length: out }, (_, i) => Array.from({ length: sizeIn }, (_, j) => (i === j ? d[i]! : 0)));
  const square = (at: SourceRange): boolean => {
    if (sizeIn === out) return true;
    ctx.sink.report('SNN5001', at, { actual: sizeIn, target: `\`${post.text}\``, expected: out }, 'give a matrix `transform` to map between the sizes');
    return false;
  };
  if (!e) return square(range) ? diag(Array(out).fill(1) as number[]) : undefined;
  const x = unwrapParens(e);
  if (x.kind !== 'list') {
    const s = readNumber(e, 'transform', {}, ctx);
    if (s === undefined) return undefined;
    // A scalar from a 1-D value fans out to every post dimension (`a -> c.neurons (transform: -2)`).
    if (sizeIn === 1 && out > 1) return Array.from({ length: out }, () => [s]);
    return square(e.range) ? diag(Array(out).fill(s) as number[]) : undefined;
  }
  const isMatrix = x.items.some((i) => unwrapParens(i).kind === 'list');
  if (!isMatrix) {
    const d: number[] = [];
    for (const item of x.items) {
      const v = readNumber(item, 'transform', {}, ctx);
      if (v === undefined) return undefined;
      d.push(v);
    }
    if (!square(e.range)) return undefined;
    if (d.length !== out) {
      ctx.sink.report('SNN5005', e.range, { actual: `a diagonal of ${d.length}`, expected: `${out} x ${sizeIn}` });
      return undefined;
    }
    return diag(d);
  }
  const rows: number[][] = [];
  for (const row of x.items) {
    const r = unwrapParens(row);
    const items = r.kind === 'list' ? r.items : [row];
    const vals: number[] = [];
    for (const item of items) {
      const v = readNumber(item, 'transform', {}, ctx);
      if (v === undefined) return undefined;
      vals.push(v);
    }
    rows.push(vals);
  }
  if (rows.length !== out || rows.some((r) => r.length !== sizeIn)) {
    const widths = [...new Set(rows.map((r) => r.length))];
    ctx.sink.report('SNN5005', e.range, { actual: `${rows.length} x ${widths.length === 1 ? widths[0] : `(${widths.join('/')})`}`, expected: `${out} x ${sizeIn} (post x input)` });
    return undefined;
  }
  return rows;
}

export function readProbe(item: Extract<NetworkItem, { kind: 'probe' }>, ctx: NetCtx): Probe | undefined {
  const sink = ctx.sink;
  const target = readEndpoint(item.target, 'probe', ctx);
  const args = item.args ? bindArgs(item.args, signatureOf(callable('probe', 'probe')), item.range, sink) : new Map();
  if (!target) return undefined;
  const before = sink.errorCount;
  let attr: ProbeAttr;
  if (target.attr === 'voltage') {
    const neuron = target.obj.kind === 'ensemble' ? target.obj.value.neuron.kind : 'lif';
    if (neuron !== 'lif') {
      sink.report('SNN5009', item.target.range, { message: `\`${target.endpoint.name}\` uses ${neuron} neurons, which have no voltage` });
      return undefined;
    }
    attr = 'voltage';
  } else if (target.attr === 'spikes' || target.attr === 'neurons') attr = 'spikes';
  else attr = target.obj.kind === 'input' ? 'output' : 'decoded';
  const s = args.get('synapse');
  const synapse = s ? readSynapse(s.value, ctx) : NEF_DEFAULTS.probeSynapse;
  let expect: Probe['expect'] = null;
  const ex = args.get('expect');
  if (ex) {
    if (attr !== 'decoded' && attr !== 'output') {
      sink.report('SNN5009', ex.range, { message: `\`expect\` compares a decoded value, but this probe records ${attr}` });
      return undefined;
    }
    const vars = new Map<string, number>([['t', 1]]);
    for (const [n, o] of ctx.objects) if (o.kind === 'input') vars.set(n, o.value.dims);
    expect = lowerExprList(ex.value, { vars, consts: ctx.env }, sink) ?? null;
    if (expect && expect.length !== target.endpoint.dims) {
      sink.report('SNN5009', ex.value.range, { message: `\`expect\` gives ${expect.length} value(s) but \`${target.text}\` has ${target.endpoint.dims} dimension(s)` });
      return undefined;
    }
  }
  if (synapse === undefined || sink.errorCount !== before) return undefined;
  return { name: item.name?.name ?? target.text, target: target.endpoint, attr, synapse, expect, range: item.range };
}

/**
 * Connections without a synapse pass values within the same step; a loop of them (a -> b -> a)
 * has no first value to compute. Self-loops are SNN5004; longer loops are reported once each,
 * on the connection that closes them.
 */
export function reportInstantLoops(connections: readonly Connection[], sink: Sink): void {
  const out = new Map<string, Connection[]>();
  for (const c of connections) {
    if (c.synapse !== null || c.pre.name === c.post.name) continue;
    out.set(c.pre.name, [...(out.get(c.pre.name) ?? []), c]);
  }
  const state = new Map<string, 'active' | 'done'>();
  const path: Connection[] = [];
  const seen = new Set<string>();
  const visit = (node: string): void => {
    state.set(node, 'active');
    for (const c of out.get(node) ?? []) {
      const next = c.post.name;
      if (state.get(next) === 'active') {
        const from = path.findIndex((p) => p.pre.name === next);
        const loop = [...path.slice(from < 0 ? path.length : from), c];
        const key = [...new Set(loop.map((l) => l.pre.name))].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          const cycle = `\`${[...loop.map((l) => l.pre.name), next].join(' -> ')}\``;
          sink.report('SNN5013', c.range!, { cycle }, undefined, loop.slice(0, -1).map((l) => ({ message: 'part of the loop', range: l.range! })));
        }
      } else if (state.get(next) === undefined) {
        path.push(c);
        visit(next);
        path.pop();
      }
    }
    state.set(node, 'done');
  };
  for (const node of out.keys()) if (!state.has(node)) visit(node);
}

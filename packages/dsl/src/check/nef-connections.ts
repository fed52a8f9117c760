import { didYouMean, MAX_WEIGHT_PROBE_ENTRIES, weightEntries, type Connection, type NefEndpoint, type Probe, type ProbeAttr, type SourceRange } from '@snnc/ir';
import { isMatrixBuilder, readMatrix } from './matrices.js';
import { readLearningRule, readSynapse } from './nef-learning.js';
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
  // `integ.ensemble`: an object of a network instance (instances may nest)
  let name = ep.name.name;
  let parts = ep.parts;
  while (ctx.instances.has(name) && parts[0]?.kind === 'attr') {
    name = `${name}.${parts[0].name.name}`;
    parts = parts.slice(1);
  }
  if (ctx.instances.has(name)) {
    const members = [...ctx.objects.keys()].filter((k) => k.startsWith(`${name}.`)).map((k) => `\`${k}\``);
    ctx.sink.report('SNN5012', ep.range, { message: `\`${name}\` is a network instance: name one of its objects (${members.slice(0, 6).join(', ')})` });
    return undefined;
  }
  if (ctx.connectionNames.has(name)) {
    const use = role === 'post' ? '`.learning` (its error)' : role === 'probe' ? '`.weights` or `.weights_norm`' : 'a target (`.learning`) or a probe (`.weights`)';
    ctx.sink.report(role === 'probe' ? 'SNN5009' : 'SNN5012', ep.range, { message: `\`${name}\` is a connection: use ${use}` });
    return undefined;
  }
  const obj = ctx.objects.get(name);
  if (!obj) {
    if (name !== '' && !ctx.declared.has(name)) ctx.sink.report('SNN2001', ep.name.range, { what: 'input or ensemble', name }, didYouMean(name, [...ctx.declared]));
    return undefined;
  }
  const attrs = role === 'probe' ? ['neurons', 'spikes', 'voltage'] : ['neurons'];
  let attr: ResolvedEndpoint['attr'] = null;
  let slice: number[] | null = null;
  let text = name;
  // a node receives its input `x` (sizeIn wide) and sends its value (dims wide)
  let dims = role === 'post' && obj.kind === 'input' ? obj.value.sizeIn : obj.value.dims;
  for (const part of parts) {
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

/** Does this endpoint name a connection (`c.learning`)? */
export function targetsRule(ep: Endpoint, ctx: NetCtx): boolean {
  return ctx.connectionNames.has(ep.name.name);
}

/** `c.learning`: the error (PES) or learning signal (Voja) of connection `c`'s rule. */
function readRuleEndpoint(ep: Endpoint, ctx: NetCtx): ResolvedEndpoint | undefined {
  const name = ep.name.name;
  const part = ep.parts[0];
  if (ep.parts.length !== 1 || part?.kind !== 'attr' || part.name.name !== 'learning') {
    ctx.sink.report('SNN5012', ep.range, { message: `\`${name}\` is a connection: connect to \`${name}.learning\` to feed its learning rule` });
    return undefined;
  }
  const target = ctx.connections.get(name);
  if (!target) return undefined; // its own errors are reported
  const rule = target.learning;
  if (rule === null || (rule.kind !== 'pes' && rule.kind !== 'voja')) {
    const why = rule === null ? 'has no learning rule' : `learns with ${rule.kind.toUpperCase()}, which takes no error signal`;
    ctx.sink.report('SNN5301', ep.range, { message: `connection \`${name}\` ${why}; only PES (an error) and Voja (a learning signal) take a connection` });
    return undefined;
  }
  const dims = rule.kind === 'pes' ? target.post.dims : 1;
  const obj = ctx.objects.get(target.post.name)!;
  return { endpoint: { name, kind: 'learning', slice: null, dims, range: ep.range }, attr: null, obj, text: `${name}.learning` };
}

export function readConnection(item: Extract<NetworkItem, { kind: 'connect' }>, index: number, ctx: NetCtx): Connection | undefined {
  const sink = ctx.sink;
  const pre = readEndpoint(item.pre, 'pre', ctx);
  const toRule = targetsRule(item.post, ctx);
  const post = toRule ? readRuleEndpoint(item.post, ctx) : readEndpoint(item.post, 'post', ctx);
  const args = item.args ? bindArgs(item.args, signatureOf(callable('connection', 'connect')), item.range, sink) : new Map();
  if (!pre || !post) return undefined;
  if (!toRule && post.obj.kind === 'input' && post.obj.value.sizeIn === 0) {
    sink.report('SNN5304', item.post.range, { message: `\`${post.text}\` is an input of \`t\` only: only a node whose value reads \`x\` can receive a connection` }, `make it a node: \`input ${post.text} = x\` passes its input on`);
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
  const synapse = s ? readSynapse(s.value, ctx) : { kind: 'lowpass' as const, tau: NEF_DEFAULTS.synapse };
  const l = args.get('learning');
  const learning = l ? readLearningRule(l.value, ctx) : null;
  if (!transform || synapse === undefined || learning === undefined || sink.errorCount !== before) return undefined;
  if (synapse === null && pre.endpoint.name === post.endpoint.name) {
    sink.report('SNN5004', s?.range ?? item.range, { name: pre.endpoint.name });
    return undefined;
  }
  if (learning !== null && l && !learningFits(learning.kind, pre, post, l.range, ctx)) return undefined;
  return { id: item.name?.name ?? `conn_${index}`, pre: pre.endpoint, post: post.endpoint, function: fn, transform, synapse, learning, range: item.range };
}

/** Where each rule applies (Nengo: PES on decoded or neuron sources, BCM/Oja on weights, Voja on encoders). */
function learningFits(kind: 'pes' | 'bcm' | 'oja' | 'voja', pre: ResolvedEndpoint, post: ResolvedEndpoint, at: SourceRange, ctx: NetCtx): boolean {
  const bad = (message: string): false => {
    ctx.sink.report('SNN5300', at, { message });
    return false;
  };
  const preKind = pre.endpoint.kind;
  const postKind = post.endpoint.kind;
  switch (kind) {
    case 'pes':
      if (preKind === 'input') return bad('PES learns decoders or weights: the connection must start at an ensemble or its neurons, not an input');
      if (postKind !== 'ensemble') return bad('PES needs a decoded target: the connection must end at an ensemble (not its neurons or a node)');
      return true;
    case 'bcm':
    case 'oja': {
      const name = kind === 'bcm' ? 'BCM' : 'Oja';
      const neurons = preKind === 'neurons' && postKind === 'neurons';
      const decoded = preKind === 'ensemble' && postKind === 'ensemble';
      if (!neurons && !decoded) return bad(`${name} learns neuron-to-neuron weights: connect \`a.neurons -> b.neurons\`, or ensemble to ensemble (full weights)`);
      if (neurons && (pre.endpoint.slice !== null || post.endpoint.slice !== null)) return bad(`${name} on neurons takes whole populations, not slices`);
      return true;
    }
    case 'voja':
      if (postKind !== 'ensemble' || post.endpoint.slice !== null) return bad('Voja learns the encoders of a whole ensemble: the connection must end at an unsliced ensemble');
      return true;
    default:
      return kind satisfies never;
  }
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
  if (isMatrixBuilder(x)) {
    const rows = readMatrix(x, ctx);
    if (!rows) return undefined;
    if (rows.length !== out || rows.some((r) => r.length !== sizeIn)) {
      ctx.sink.report('SNN5005', e.range, { actual: `${rows.length} x ${rows[0]?.length ?? 0}`, expected: `${out} x ${sizeIn} (post x input)` });
      return undefined;
    }
    return rows;
  }
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
  if (ctx.connectionNames.has(item.target.name.name)) return readWeightsProbe(item, ctx);
  const target = readEndpoint(item.target, 'probe', ctx);
  const args = item.args ? bindArgs(item.args, signatureOf(callable('probe', 'probe')), item.range, sink) : new Map();
  if (!target) return undefined;
  const before = sink.errorCount;
  let attr: ProbeAttr;
  if (target.attr === 'voltage') {
    const neuron = target.obj.kind === 'ensemble' ? target.obj.value.neuron.kind : 'lif';
    // a definition's neurons expose their first state variable (the membrane)
    if (neuron !== 'lif' && neuron !== 'equations') {
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

/** Most entries a `.weights` probe records per step: validateIR's bound, written once in @snnc/ir. */
export { MAX_WEIGHT_PROBE_ENTRIES };

/** `probe c.weights` (the learned matrix, post x pre) or `probe c.weights_norm`. */
function readWeightsProbe(item: Extract<NetworkItem, { kind: 'probe' }>, ctx: NetCtx): Probe | undefined {
  const ep = item.target;
  const name = ep.name.name;
  const part = ep.parts[0];
  const attrs = ['weights', 'weights_norm'];
  if (ep.parts.length !== 1 || part?.kind !== 'attr' || !attrs.includes(part.name.name)) {
    ctx.sink.report('SNN5009', ep.range, { message: `\`${name}\` is a connection: probe \`${name}.weights\` or \`${name}.weights_norm\`` }, part?.kind === 'attr' ? didYouMean(part.name.name, attrs) : undefined);
    return undefined;
  }
  const args = item.args ? bindArgs(item.args, { owner: 'probe', positional: [], named: ['synapse'] }, item.range, ctx.sink) : new Map();
  const c = ctx.connections.get(name);
  if (!c) return undefined;
  if (c.learning === null) {
    ctx.sink.report('SNN5009', ep.range, { message: `\`${name}\` has no learning rule, so its weights do not change; probe what it delivers instead` });
    return undefined;
  }
  const attr = part.name.name as ProbeAttr;
  const probeName = item.name?.name ?? `${name}.${attr}`;
  if (attr === 'weights') {
    const ensembles = [...ctx.objects.values()].flatMap((o) => (o.kind === 'ensemble' ? [o.value] : []));
    const entries = weightEntries(c, { ensembles });
    if (entries > MAX_WEIGHT_PROBE_ENTRIES) {
      ctx.sink.report('SNN5303', ep.range, { name: probeName, entries, max: MAX_WEIGHT_PROBE_ENTRIES });
      return undefined;
    }
  }
  const s = args.get('synapse');
  const synapse = s ? readSynapse(s.value, ctx) : null;
  if (synapse === undefined) return undefined;
  return { name: probeName, target: { name, kind: 'connection', slice: null, dims: 1, range: ep.range }, attr, synapse, expect: null, range: item.range };
}

/**
 * Connections without a synapse pass values within the same step; a loop of them (a -> b -> a)
 * has no first value to compute. Self-loops are SNN5004; longer loops are reported once each,
 * on the connection that closes them.
 */
export function reportInstantLoops(connections: readonly Connection[], sink: Sink): void {
  const out = new Map<string, Connection[]>();
  for (const c of connections) {
    if (c.synapse !== null || c.pre.name === c.post.name || c.post.kind === 'learning') continue;
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

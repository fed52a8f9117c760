import { compileExpr, didYouMean, freeVariables, type Ensemble, type Expr, type EncoderDist, type NefInput, type NefNeuron, type Signal, type SourceRange } from '@snnc/ir';
import type { Arg, AstExpr, CallExpr } from '../ast.js';
import { instantiateNeuron, type CheckedNeuron } from './neuron-defs.js';
import { callable, defaultNumber, numOf, signatureOf, type CallableEntry } from '../catalog/index.js';
import { asCall, bindArgs, type BoundArgs } from './args.js';
import { describeValue, fmtNumber, unwrapParens } from './describe.js';
import { lowerExprList } from './functions.js';
import { NEF_DEFAULTS, type NetCtx } from './nef-context.js';
import { evalConst } from './evaluate.js';
import { readNumber, readRange } from './read.js';
import { Sink } from './sink.js';

export const ENSEMBLE_KINDS = { LIF: 'lif', LIFRate: 'lif_rate', ReLU: 'relu', SpikingReLU: 'spiking_relu' } as const;
type EnsembleKeyword = keyof typeof ENSEMBLE_KINDS;

// --- inputs ------------------------------------------------------------------------------

export function readInput(name: string, value: AstExpr, range: SourceRange, ctx: NetCtx): NefInput | undefined {
  const x = unwrapParens(value);
  if (x.kind === 'call' && x.callee.name === 'piecewise') {
    const signal = readPiecewise(x.args, x.range, ctx);
    return signal && { name, dims: signal.points[0]!.value.length, sizeIn: 0, signal, range };
  }
  if (x.kind === 'call' && x.callee.name === 'white_noise') {
    const entry = callable('signal', 'white_noise');
    const args = bindArgs(x.args, signatureOf(entry), x.range, ctx.sink);
    const num = (n: string) => {
      const a = args.get(n);
      return a ? readNumber(a.value, n, numOf(entry, n), ctx) : defaultNumber(entry, n);
    };
    const mean = num('mean');
    const std = num('std');
    const dims = num('dims');
    const s = args.get('seed');
    const seed = s ? readNumber(s.value, 'seed', numOf(entry, 'seed'), ctx) : null;
    if (mean === undefined || std === undefined || dims === undefined || seed === undefined) return undefined;
    return { name, dims, sizeIn: 0, signal: { kind: 'white_noise', mean, std, seed }, range };
  }
  if (x.kind === 'call' && x.callee.name === 'white_signal') {
    const entry = callable('signal', 'white_signal');
    const args = bindArgs(x.args, signatureOf(entry), x.range, ctx.sink);
    const num = (n: string) => {
      const a = args.get(n);
      return a ? readNumber(a.value, n, numOf(entry, n), ctx) : defaultNumber(entry, n);
    };
    if (!args.has('period') || !args.has('high')) return undefined; // reported by bindArgs
    const period = num('period');
    const high = num('high');
    const rms = num('rms');
    const dims = num('dims');
    const s = args.get('seed');
    const seed = s ? readNumber(s.value, 'seed', numOf(entry, 'seed'), ctx) : null;
    if (period === undefined || high === undefined || rms === undefined || dims === undefined || seed === undefined) return undefined;
    return { name, dims, sizeIn: 0, signal: { kind: 'white_signal', period, high, rms, seed }, range };
  }
  if (x.kind === 'call' && x.callee.name === 'node') return readNode(name, x.args, x.range, range, ctx);
  // A value that reads `x` is a node that computes (Nengo's `Node(lambda t, x: ...)`): its
  // input size is one past the largest `x[i]` it reads (1 for a bare `x`).
  return readNodeValue(name, value, inputSize(value, ctx), range, ctx);
}

/** `node(expr, size_in: n)`: a node with an explicit input size (for `max(x)`, or an unread input). */
function readNode(name: string, args: Arg[], callRange: SourceRange, range: SourceRange, ctx: NetCtx): NefInput | undefined {
  const entry = callable('signal', 'node');
  const bound = bindArgs(args, signatureOf(entry), callRange, ctx.sink);
  const value = bound.get('value');
  const s = bound.get('size_in');
  if (!value) return undefined;
  const sizeIn = s ? readNumber(s.value, 'size_in', numOf(entry, 'size_in'), ctx) : inputSize(value.value, ctx);
  if (sizeIn === undefined) return undefined;
  return readNodeValue(name, value.value, sizeIn, range, ctx);
}

function readNodeValue(name: string, value: AstExpr, sizeIn: number, range: SourceRange, ctx: NetCtx): NefInput | undefined {
  const vars = new Map([['t', 1]]);
  if (sizeIn > 0) vars.set('x', sizeIn);
  // a bare `x` passes the whole input on (Nengo's `Node(size_in=n)`)
  const bare = unwrapParens(value);
  const passthrough = bare.kind === 'ident' && bare.name === 'x' && sizeIn > 1;
  const exprs = passthrough
    ? Array.from({ length: sizeIn }, (_, i): Expr => ({ kind: 'index', target: { kind: 'var', name: 'x' }, index: i }))
    : lowerExprList(value, { vars, consts: ctx.env, preName: `${name}'s input` }, ctx.sink);
  if (!exprs) return undefined;
  // Without `t` and `x` the signal is a constant: evaluate it now so runtimes see plain numbers.
  const constant = sizeIn === 0 && exprs.every((e) => !freeVariables(e).has('t'));
  const signal: Signal = constant ? { kind: 'constant', value: exprs.map((e) => compileExpr(e)({ t: 0, x: [], vars: {} })) } : { kind: 'expr', exprs };
  return { name, dims: exprs.length, sizeIn, signal, range };
}

/** 0 when `e` never reads `x`; else one past the largest constant index of `x` (1 for a bare `x`). */
function inputSize(e: AstExpr, ctx: NetCtx): number {
  let size = 0;
  const visit = (n: AstExpr): void => {
    switch (n.kind) {
      case 'ident':
        if (n.name === 'x') size = Math.max(size, 1);
        return;
      case 'index': {
        const target = unwrapParens(n.target);
        if (target.kind === 'ident' && target.name === 'x') {
          // the index is checked (and reported) when the expression is lowered
          const q = evalConst(n.index, ctx.env, new Sink(), 'index');
          size = Math.max(size, q && Number.isInteger(q.value) && q.value >= 0 && q.value < MAX_NODE_INPUT ? q.value + 1 : 1);
          return;
        }
        visit(n.target);
        visit(n.index);
        return;
      }
      case 'list':
        n.items.forEach(visit);
        return;
      case 'map':
        for (const en of n.entries) {
          visit(en.key);
          visit(en.value);
        }
        return;
      case 'call':
        for (const a of n.args) visit(a.value);
        return;
      case 'unary':
        visit(n.arg);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'member':
        visit(n.target);
        return;
      case 'paren':
        visit(n.inner);
        return;
      case 'number':
      case 'string':
        return;
      default:
        n satisfies never;
    }
  };
  visit(e);
  return size;
}

/** Largest input size a node may declare through `x[i]` (larger indices are reported as out of range). */
const MAX_NODE_INPUT = 1 << 16;

function readPiecewise(args: Arg[], range: SourceRange, ctx: NetCtx): Extract<Signal, { kind: 'piecewise' }> | undefined {
  const bound = bindArgs(args, signatureOf(callable('signal', 'piecewise')), range, ctx.sink);
  const p = bound.get('points');
  if (!p) return undefined;
  const map = unwrapParens(p.value);
  if (map.kind !== 'map' || map.entries.length === 0) {
    ctx.sink.report('SNN5010', p.value.range, { message: `piecewise takes a map of times to values, such as \`{0: 0, 0.5: 1}\`; got ${describeValue(p.value)}` });
    return undefined;
  }
  const points: { t: number; value: number[] }[] = [];
  let ok = true;
  for (const entry of map.entries) {
    const t = readNumber(entry.key, 'time', { min: 0, unit: 'time' }, ctx);
    const v = unwrapParens(entry.value);
    const items = v.kind === 'list' ? v.items : [entry.value];
    const value: number[] = [];
    for (const item of items) {
      const n = readNumber(item, 'value', {}, ctx);
      if (n === undefined) ok = false;
      else value.push(n);
    }
    if (t === undefined || !ok) {
      ok = false;
      continue;
    }
    const prev = points[points.length - 1];
    if (prev && t <= prev.t) {
      ctx.sink.report('SNN5010', entry.key.range, { message: `piecewise times must increase: ${fmtNumber(t)} s comes after ${fmtNumber(prev.t)} s` });
      ok = false;
      continue;
    }
    if (prev && value.length !== prev.value.length) {
      ctx.sink.report('SNN5010', entry.value.range, { message: `every piecewise value needs ${prev.value.length} dimension(s); this one has ${value.length}` });
      ok = false;
      continue;
    }
    if (value.length === 0) {
      ctx.sink.report('SNN5010', entry.value.range, { message: 'a piecewise value needs at least one dimension' });
      ok = false;
      continue;
    }
    points.push({ t, value });
  }
  return ok ? { kind: 'piecewise', points } : undefined;
}

// --- ensembles ---------------------------------------------------------------------------

export function readEnsemble(name: string, value: AstExpr, range: SourceRange, ctx: NetCtx): Ensemble | undefined {
  const call = asCall(value);
  const kinds = Object.keys(ENSEMBLE_KINDS) as EnsembleKeyword[];
  const defined = call && !(kinds as string[]).includes(call.callee.name) ? ctx.neuronDefinition?.(call.callee.name) : undefined;
  if (call && defined) return readDefinedEnsemble(name, call, defined, range, ctx);
  if (!call || !(kinds as string[]).includes(call.callee.name)) {
    const at = call ? call.callee.range : value.range;
    ctx.sink.report('SNN3003', at, { name: 'ensemble', choices: kinds.map((k) => `\`${k}\``).join(', ') + ' or a spiking neuron definition', value: call ? call.callee.name : describeValue(value) }, call ? didYouMean(call.callee.name, kinds) : undefined);
    return undefined;
  }
  const kw = call.callee.name as EnsembleKeyword;
  const before = ctx.sink.errorCount;
  const entry = callable('ensemble', kw);
  const args = bindArgs(call.args, signatureOf(entry), call.range, ctx.sink);
  const common = readEnsembleCommon(args, entry, ctx);
  const mr = args.get('max_rates');
  const neuron = readNefNeuron(kw, args, entry, ctx);
  if (!common || !neuron) return undefined;
  const { n, dims, radius, maxRates, intercepts, seed } = common;
  if ((neuron.kind === 'lif' || neuron.kind === 'lif_rate') && neuron.tauRef > 0 && maxRates[1] >= 1 / neuron.tauRef) {
    ctx.sink.report('SNN3002', mr?.value.range ?? call.range, { name: 'max_rates', constraint: `below 1 / tau_ref = ${fmtNumber(1 / neuron.tauRef)} Hz`, value: `${fmtNumber(maxRates[1])} Hz` });
    return undefined;
  }
  const en = args.get('encoders');
  const encoders = en ? readEncoders(en.value, name, dims, ctx) : ({ kind: 'hypersphere' } as EncoderDist);
  if (!encoders || ctx.sink.errorCount !== before) return undefined;
  return { name, neuron, n, dims, radius, maxRates, intercepts, encoders, seed, range };
}

/** What every ensemble takes, whatever its neurons: n, dims, radius, max_rates, intercepts, seed. */
function readEnsembleCommon(args: BoundArgs, entry: CallableEntry, ctx: NetCtx): { n: number; dims: number; radius: number; maxRates: [number, number]; intercepts: [number, number]; seed: number | null } | undefined {
  const num = (n: string, dflt: number) => {
    const a = args.get(n);
    return a ? readNumber(a.value, n, numOf(entry, n), ctx) : dflt;
  };
  const n = args.get('n') && readNumber(args.get('n')!.value, 'n', numOf(entry, 'n'), ctx);
  const dims = num('dims', NEF_DEFAULTS.dims);
  const radius = num('radius', NEF_DEFAULTS.radius);
  const mr = args.get('max_rates');
  const maxRates = mr ? readRange(mr.value, 'max_rates', numOf(entry, 'max_rates'), ctx) : NEF_DEFAULTS.maxRates;
  const ic = args.get('intercepts');
  const intercepts = ic ? readRange(ic.value, 'intercepts', numOf(entry, 'intercepts'), ctx) : NEF_DEFAULTS.intercepts;
  const sd = args.get('seed');
  const seed = sd ? readNumber(sd.value, 'seed', numOf(entry, 'seed'), ctx) : null;
  if (n === undefined || dims === undefined || radius === undefined || !maxRates || !intercepts || seed === undefined) return undefined;
  return { n, dims, radius, maxRates, intercepts, seed };
}

/**
 * `ensemble a = Izhikevich(n: 50, d: 2)`: the ensemble's own arguments (those of every ensemble,
 * as ReLU's without `amplitude`) and the definition's parameters, in one call. The neurons
 * step at the network's dt (set by resolveNetwork), so `dt` is not an argument here.
 */
function readDefinedEnsemble(name: string, call: CallExpr, def: CheckedNeuron, range: SourceRange, ctx: NetCtx): Ensemble | undefined {
  const entry = callable('ensemble', 'ReLU');
  const ensembleArgs = new Set(entry.params.map((p) => p.name).filter((p) => p !== 'amplitude'));
  const own = call.args.filter((a) => a.name === undefined || ensembleArgs.has(a.name.name));
  const rest = call.args.filter((a) => !own.includes(a));
  const before = ctx.sink.errorCount;
  const dtArg = rest.find((a) => a.name?.name === 'dt');
  if (dtArg) ctx.sink.report('SNN5102', dtArg.range, { message: "an ensemble's neurons step at the network's `dt`; set it with `dt` in the network" });
  if (!def.spike) ctx.sink.report('SNN3003', call.callee.range, { name: 'ensemble', choices: 'a spiking neuron (NEF decodes spikes)', value: def.name });
  const args = bindArgs(own, { ...signatureOf(entry), named: [...ensembleArgs] }, call.range, ctx.sink);
  const common = readEnsembleCommon(args, entry, ctx);
  const neuron = instantiateNeuron(def, { ...call, args: rest.filter((a) => a !== dtArg) }, name, range, ctx, false);
  const en = args.get('encoders');
  const encoders = common && en ? readEncoders(en.value, name, common.dims, ctx) : ({ kind: 'hypersphere' } as EncoderDist);
  if (!common || !neuron || !encoders || ctx.sink.errorCount !== before) return undefined;
  return { name, neuron: { kind: 'equations', neuron }, ...common, encoders, range };
}

function readNefNeuron(kw: EnsembleKeyword, args: BoundArgs, entry: CallableEntry, ctx: NetCtx): NefNeuron | undefined {
  const num = (n: string, dflt: number) => {
    const a = args.get(n);
    return a ? readNumber(a.value, n, numOf(entry, n), ctx) : dflt;
  };
  switch (kw) {
    case 'LIF':
    case 'LIFRate': {
      const tauRc = num('tau_rc', NEF_DEFAULTS.tauRc);
      const tauRef = num('tau_ref', NEF_DEFAULTS.tauRef);
      if (tauRc === undefined || tauRef === undefined) return undefined;
      if (kw === 'LIFRate') return { kind: 'lif_rate', tauRc, tauRef };
      const minVoltage = num('min_voltage', NEF_DEFAULTS.minVoltage);
      return minVoltage === undefined ? undefined : { kind: 'lif', tauRc, tauRef, minVoltage };
    }
    case 'ReLU':
    case 'SpikingReLU': {
      const amplitude = num('amplitude', NEF_DEFAULTS.amplitude);
      if (amplitude === undefined) return undefined;
      return { kind: kw === 'ReLU' ? 'relu' : 'spiking_relu', amplitude };
    }
    default:
      return kw satisfies never;
  }
}

function readEncoders(e: AstExpr, name: string, dims: number, ctx: NetCtx): EncoderDist | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'ident' && x.name === 'hypersphere') return { kind: 'hypersphere' };
  if (x.kind !== 'list' || x.items.length === 0) {
    ctx.sink.report('SNN3001', e.range, { name: 'encoders', expected: '`hypersphere` or a list of vectors `[[1, 1], [-1, 1]]`', actual: describeValue(e) });
    return undefined;
  }
  const vectors: number[][] = [];
  let ok = true;
  x.items.forEach((item, i) => {
    const v = unwrapParens(item);
    const elems = v.kind === 'list' ? v.items : [item];
    const vec: number[] = [];
    for (const el of elems) {
      const n = readNumber(el, 'encoders', {}, ctx);
      if (n === undefined) ok = false;
      else vec.push(n);
    }
    if (!ok) return;
    if (vec.length !== dims) {
      ctx.sink.report('SNN5011', item.range, { index: i, actual: vec.length, name, dims });
      ok = false;
    } else if (vec.every((c) => c === 0)) {
      ctx.sink.report('SNN3002', item.range, { name: 'encoders', constraint: 'non-zero vectors', value: `[${vec.join(', ')}]` });
      ok = false;
    } else vectors.push(vec);
  });
  return ok ? { kind: 'choice', vectors } : undefined;
}


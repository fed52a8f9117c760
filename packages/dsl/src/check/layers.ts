import { assertNever, type Layer, type NeuronDef } from '@snnc/ir';
import type { AstExpr, CallExpr } from '../ast.js';
import { callable, defaultBoolean, defaultNumber, defaultPair, numOf, signatureOf, type CallableEntry } from '../catalog/index.js';
import { asCall, bindArgs, type BoundArgs } from './args.js';
import { describeValue, fmtNumber } from './describe.js';
import { isNeuronKeyword, NEURON_KINDS, resolveNeuron } from './neurons.js';
import { readBool, readNumber, readPair, type ReadCtx } from './read.js';
import type { Scope } from './scope.js';

/** A layer before shape inference: the IR layer without its id and shapes. */
export type LayerSpec = DistributiveOmit<Layer, 'id' | 'inShape' | 'outShape'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const LAYER_KINDS = ['conv2d', 'dense', 'batchnorm', 'maxpool', 'avgpool', 'flatten', 'dropout', 'conv1d', 'sumpool', 'scale', 'layernorm', 'delay'] as const;
type LayerKeyword = (typeof LAYER_KINDS)[number];

/** The table entry of each layer keyword: parameters, defaults and ranges. */
const ENTRY = Object.fromEntries(LAYER_KINDS.map((k) => [k, callable('layer', k)])) as Record<LayerKeyword, CallableEntry>;

/** PyTorch's BatchNorm defaults (from the parameter table). */
export const BATCHNORM_DEFAULTS = { eps: defaultNumber(ENTRY.batchnorm, 'eps'), momentum: defaultNumber(ENTRY.batchnorm, 'momentum') };

export interface ModelEnvCtx extends ReadCtx {
  scope: Scope;
  /** Resolved top-level neurons, by name (undefined: the definition has errors). */
  /** `call` is passed for neuron definitions, which take their parameters at the call. */
  neuron: (name: string, call?: CallExpr) => NeuronDef | undefined | 'unknown';
}

export interface ResolvedLayer {
  spec: LayerSpec;
  /** How messages name it: `conv2d(32)`, `flatten`, `lif`. */
  label: string;
}

/** Resolves one element of a layer chain; reports and returns undefined on mistakes. */
export function resolveLayer(e: AstExpr, ctx: ModelEnvCtx): ResolvedLayer | undefined {
  const call = asCall(e);
  if (!call) {
    ctx.sink.report('SNN3001', e.range, { name: 'layer', expected: 'a layer such as `dense(10)` or a neuron', actual: describeValue(e) });
    return undefined;
  }
  const name = call.callee.name;
  if (name === '') return undefined;
  const range = call.range;
  if ((LAYER_KINDS as readonly string[]).includes(name)) {
    const kw = name as LayerKeyword;
    const before = ctx.sink.errorCount;
    const args = bindArgs(call.args, signatureOf(ENTRY[kw]), call.range, ctx.sink);
    if (ctx.sink.errorCount !== before) return undefined;
    return layerFromArgs(kw, args, ctx, range);
  }
  if (isNeuronKeyword(name)) {
    const neuron = resolveNeuron(call, name, NEURON_KINDS[name], range, ctx);
    return neuron && { spec: { kind: 'neuron', neuron, range }, label: name };
  }
  const isDefinition = ctx.scope.get(name, 'neuron')?.definition !== undefined;
  const found = ctx.neuron(name, isDefinition ? call : undefined);
  if (found === 'unknown') {
    ctx.sink.report('SNN2001', call.callee.range, { what: 'layer or neuron', name }, ctx.scope.hint(name, ['neuron'], [...LAYER_KINDS, ...Object.keys(NEURON_KINDS)]));
    return undefined;
  }
  if (call.args.length > 0 && !isDefinition) {
    // A defined neuron is used as is; its parameters live in its definition.
    ctx.sink.report('SNN2008', call.range, { owner: `neuron \`${name}\``, max: 0 });
    return undefined;
  }
  return found && { spec: { kind: 'neuron', neuron: { ...found, range }, range }, label: name };
}

function layerFromArgs(kw: LayerKeyword, args: BoundArgs, ctx: ReadCtx, range: LayerSpec['range']): ResolvedLayer | undefined {
  const get = (n: string) => args.get(n)?.value;
  const entry = ENTRY[kw];
  const spec = (n: string) => numOf(entry, n);
  const bool = (n: string) => {
    const v = get(n);
    return v ? readBool(v, n, ctx) : defaultBoolean(entry, n);
  };
  switch (kw) {
    case 'conv2d': {
      const filters = readNumber(get('filters')!, 'filters', spec('filters'), ctx);
      const kernel = readPair(get('kernel')!, 'kernel', spec('kernel'), ctx);
      const s = get('stride');
      const stride = s ? readPair(s, 'stride', spec('stride'), ctx) : defaultPair(entry, 'stride');
      const padding = readPadding(get('padding'), kernel, stride, entry, ctx);
      const bias = bool('bias');
      if (filters === undefined || !kernel || !stride || !padding || bias === undefined) return undefined;
      return { spec: { kind: 'conv2d', filters, kernel, stride: [stride[0]!, stride[1]!], padding, bias, range }, label: `conv2d(${filters})` };
    }
    case 'dense': {
      const units = readNumber(get('units')!, 'units', spec('units'), ctx);
      const bias = bool('bias');
      if (units === undefined || bias === undefined) return undefined;
      return { spec: { kind: 'dense', units, bias, range }, label: `dense(${units})` };
    }
    case 'batchnorm': {
      const e = get('eps');
      const m = get('momentum');
      const eps = e ? readNumber(e, 'eps', spec('eps'), ctx) : BATCHNORM_DEFAULTS.eps;
      const momentum = m ? readNumber(m, 'momentum', spec('momentum'), ctx) : BATCHNORM_DEFAULTS.momentum;
      if (eps === undefined || momentum === undefined) return undefined;
      return { spec: { kind: 'batchnorm', eps, momentum, range }, label: 'batchnorm' };
    }
    case 'conv1d': {
      const filters = readNumber(get('filters')!, 'filters', spec('filters'), ctx);
      const kernel = readNumber(get('kernel')!, 'kernel', spec('kernel'), ctx);
      const s = get('stride');
      const stride = s ? readNumber(s, 'stride', spec('stride'), ctx) : defaultNumber(entry, 'stride');
      const p = get('padding');
      const padding = p ? readNumber(p, 'padding', spec('padding'), ctx) : defaultNumber(entry, 'padding');
      const bias = bool('bias');
      if (filters === undefined || kernel === undefined || stride === undefined || padding === undefined || bias === undefined) return undefined;
      return { spec: { kind: 'conv1d', filters, kernel, stride, padding, bias, range }, label: `conv1d(${filters})` };
    }
    case 'scale': {
      const factor = readNumber(get('factor')!, 'factor', spec('factor'), ctx);
      return factor === undefined ? undefined : { spec: { kind: 'scale', factor, range }, label: `scale(${fmtNumber(factor)})` };
    }
    case 'layernorm': {
      const e = get('eps');
      const eps = e ? readNumber(e, 'eps', spec('eps'), ctx) : defaultNumber(entry, 'eps');
      return eps === undefined ? undefined : { spec: { kind: 'layernorm', eps, range }, label: 'layernorm' };
    }
    case 'delay': {
      const st = get('steps');
      const steps = st ? readNumber(st, 'steps', spec('steps'), ctx) : defaultNumber(entry, 'steps');
      return steps === undefined ? undefined : { spec: { kind: 'delay', steps, range }, label: `delay(${steps})` };
    }
    case 'sumpool':
    case 'maxpool':
    case 'avgpool': {
      const size = readPair(get('size')!, 'size', spec('size'), ctx);
      const s = get('stride');
      // As in PyTorch, the stride defaults to the window size (non-overlapping windows).
      const stride = s ? readPair(s, 'stride', spec('stride'), ctx) : size;
      if (!size || !stride) return undefined;
      const label = `${kw}(${size[0] === size[1] ? size[0] : `[${size[0]}, ${size[1]}]`})`;
      return { spec: { kind: kw, size, stride, range }, label };
    }
    case 'flatten':
      return { spec: { kind: 'flatten', range }, label: 'flatten' };
    case 'dropout': {
      const rate = readNumber(get('rate')!, 'rate', spec('rate'), ctx);
      return rate === undefined ? undefined : { spec: { kind: 'dropout', rate, range }, label: `dropout(${fmtNumber(rate)})` };
    }
    default:
      return assertNever(kw);
  }
}

/** `padding: 1`, `[1, 2]` or `same` (stride 1 and odd kernels only, so both sides pad equally). */
function readPadding(e: AstExpr | undefined, kernel: [number, number] | undefined, stride: number[] | undefined, entry: CallableEntry, ctx: ReadCtx): [number, number] | undefined {
  if (!e) return defaultPair(entry, 'padding');
  const x = e.kind === 'paren' ? e.inner : e;
  if (x.kind === 'ident' && x.name === 'same') {
    if (!kernel || !stride) return undefined;
    if (stride[0] !== 1 || stride[1] !== 1) {
      ctx.sink.report('SNN3002', e.range, { name: 'padding', constraint: 'a number when the stride is not 1 (`same` needs stride 1)', value: 'same' });
      return undefined;
    }
    if (kernel[0] % 2 === 0 || kernel[1] % 2 === 0) {
      ctx.sink.report('SNN3002', e.range, { name: 'padding', constraint: 'a number for an even kernel (`same` needs odd kernels to pad both sides equally)', value: 'same' });
      return undefined;
    }
    return [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2];
  }
  return readPair(e, 'padding', numOf(entry, 'padding'), ctx);
}

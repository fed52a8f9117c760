import { didYouMean, type Encoder, type Model, type Shape, type SourceRange } from '@snnc/ir';
import type { AstExpr, ModelStatement } from '../ast.js';
import { callable, defaultNumber, defaultWord, numOf, paramOf, signatureOf } from '../catalog/index.js';
import { asCall, bindArgs, type BoundArg } from './args.js';
import { describeValue, unwrapParens } from './describe.js';
import type { ConstEnv } from './evaluate.js';
import { ModelGraph } from './graph.js';
import type { ModelEnvCtx } from './layers.js';
import { readChoice, readNumber, type ReadCtx } from './read.js';
import type { Scope } from './scope.js';
import type { Sink } from './sink.js';

/** snnTorch's latency defaults: tau 1, threshold 0.01; `linear` timing by default here (from the parameter table). */
const LATENCY = callable('encoder', 'latency');
export const LATENCY_DEFAULTS = { mode: defaultWord(LATENCY, 'mode') as 'linear' | 'log', tau: defaultNumber(LATENCY, 'tau'), threshold: defaultNumber(LATENCY, 'threshold') };

export interface LayerShapeInfo {
  range: SourceRange;
  shape: Shape;
  /** `conv2d(32)`, `flatten`, ... */
  label: string;
}

export interface ModelDeps {
  scope: Scope;
  sink: Sink;
  neuron: ModelEnvCtx['neuron'];
}

/**
 * Names a model can read besides its parameters: `classes` (of the experiment's data) and
 * `outputs` (the width its target code needs), so `dense(outputs)` fits any target. A model
 * on its own (not in an experiment) sees the experiment defaults: MNIST's 10 classes, one-hot.
 */
export const STANDALONE_NAMES: ReadonlyMap<string, number> = new Map([
  ['classes', 10],
  ['outputs', 10],
]);

/** The special header parameters; everything else in the header is a user parameter. */
const MODEL = callable('model', 'model');
const HEADER_SPECIAL = signatureOf(MODEL).required;

/**
 * Instantiates a model with parameter overrides (from an experiment or a sweep point): reads
 * the header, resolves every layer with the parameters in scope and infers shapes layer by
 * layer. Returns undefined when anything failed (already reported). `shapes` collects
 * per-layer shapes for editor hovers.
 */
export function instantiateModel(
  decl: ModelStatement,
  overrides: ReadonlyMap<string, BoundArg>,
  deps: ModelDeps,
  shapes?: LayerShapeInfo[],
  implicit: ReadonlyMap<string, number> = STANDALONE_NAMES,
): Model | undefined {
  const sink = deps.sink;
  const before = sink.errorCount;
  const env: ConstEnv = { names: new Map(implicit), what: `parameter of model \`${decl.name.name}\`` };
  const ctx: ModelEnvCtx = { sink, env, scope: deps.scope, neuron: deps.neuron };
  const header = readHeader(decl, overrides, ctx);
  const body = readBody(decl, ctx);
  if (!header || !body || sink.errorCount !== before) return undefined;
  const name = decl.name.name;
  if (!decl.items.some((i) => i.kind === 'chain' && i.layers.length > 0)) {
    sink.report('SNN4005', decl.name.range, { model: name });
    return undefined;
  }
  const graph = new ModelGraph(header.input, { name, range: decl.name.range }).build(decl.items, ctx);
  if (!graph || sink.errorCount !== before) return undefined;
  const layers = graph.layers;
  shapes?.push(...graph.shapes);
  if (!layers.some((l) => l.kind === 'neuron')) {
    sink.report('SNN4005', decl.name.range, { model: name });
    return undefined;
  }
  const last = layers.find((l) => l.id === (graph.output ?? layers[layers.length - 1]!.id))!;
  if (last.kind !== 'neuron' && body.decoder.kind !== 'membrane') {
    sink.report('SNN4006', last.range!, { model: name, layer: graph.outputLabel, decoder: body.decoder.kind });
  }
  const params = Object.fromEntries([...header.params].filter(([k]) => header.declared.has(k)));
  const model: Model = { name, params, input: header.input, steps: header.steps, encoder: body.encoder, layers, decoder: body.decoder, outputShape: last.outShape, range: decl.range };
  if (graph.output !== undefined) model.output = graph.output;
  return model;
}

/** `input`, `steps` and the user parameters, each from the overrides or the default; fills `ctx.env`. */
function readHeader(decl: ModelStatement, overrides: ReadonlyMap<string, BoundArg>, ctx: ModelEnvCtx): { input: Shape; steps: number; params: Map<string, number>; declared: Set<string> } | undefined {
  const sink = ctx.sink;
  const params = ctx.env.names as Map<string, number>;
  const owner = `model \`${decl.name.name}\``;
  let input: Shape | undefined;
  let steps: number | undefined;
  const seen = new Set<string>();
  for (const p of decl.params) {
    const pname = p.name.name;
    if (pname === '') continue;
    if (seen.has(pname)) {
      sink.report('SNN2005', p.name.range, { name: pname });
      continue;
    }
    seen.add(pname);
    const value = overrides.get(pname)?.value ?? p.value;
    if (pname === 'input') input = readShape(value, ctx);
    else if (pname === 'steps') steps = readNumber(value, 'steps', numOf(MODEL, 'steps'), ctx);
    else {
      const v = readNumber(value, pname, {}, ctx);
      if (v !== undefined) params.set(pname, v);
    }
  }
  for (const [name, arg] of overrides) if (!seen.has(name)) sink.report('SNN2003', arg.range, { owner, name }, didYouMean(name, [...seen]));
  for (const s of HEADER_SPECIAL) if (!seen.has(s)) sink.report('SNN2004', decl.name.range, { owner, name: s });
  return input === undefined || steps === undefined ? undefined : { input, steps, params, declared: seen };
}

/** The encoder, decoder and layers of the body, in order; undefined if any layer failed. */
function readBody(decl: ModelStatement, ctx: ModelEnvCtx): { encoder: Encoder; decoder: Model['decoder'] } | undefined {
  const sink = ctx.sink;
  let encoder: Encoder = { kind: 'direct' };
  let decoder: Model['decoder'] = { kind: 'rate' };
  let sawEncode = false;
  let sawDecode = false;
  for (const item of decl.items) {
    switch (item.kind) {
      case 'encode': {
        if (sawEncode) sink.report('SNN2005', item.range, { name: 'encode' });
        sawEncode = true;
        const enc = readEncoder(item.value, ctx);
        if (enc) encoder = enc;
        break;
      }
      case 'decode': {
        if (sawDecode) sink.report('SNN2005', item.range, { name: 'decode' });
        sawDecode = true;
        const kind = readChoice(item.value, 'decode', DECODERS, ctx);
        if (kind) decoder = { kind };
        break;
      }
      case 'chain': // the graph builder reads the chains
        break;
      default:
        item satisfies never;
    }
  }
  return { encoder, decoder };
}

/** `[1, 28, 28]` or `[784]`: positive integers, channels first. */
function readShape(e: AstExpr, ctx: ReadCtx): Shape | undefined {
  const x = unwrapParens(e);
  if (x.kind !== 'list' || x.items.length < 1 || x.items.length > 3) {
    ctx.sink.report('SNN3001', e.range, { name: 'input', expected: 'a shape [C, H, W], [C, L] or [N]', actual: x.kind === 'list' ? `a list of ${x.items.length}` : describeValue(e) });
    return undefined;
  }
  const out: number[] = [];
  for (const item of x.items) {
    const v = readNumber(item, 'input', numOf(MODEL, 'input'), ctx);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

export const ENCODERS = ['direct', 'poisson', 'latency'] as const;
export const DECODERS = ['rate', 'count', 'membrane'] as const;

function readEncoder(e: AstExpr, ctx: ReadCtx): Encoder | undefined {
  const call = asCall(e);
  if (!call) {
    ctx.sink.report('SNN3001', e.range, { name: 'encode', expected: 'an encoder (`direct`, `poisson` or `latency`)', actual: describeValue(e) });
    return undefined;
  }
  const kind = readChoice(call.callee, 'encode', ENCODERS, ctx);
  if (!kind) return undefined;
  const before = ctx.sink.errorCount;
  const entry = callable('encoder', kind);
  const sig = signatureOf(entry, `encoder ${kind}`);
  switch (kind) {
    case 'direct':
      bindArgs(call.args, sig, call.range, ctx.sink);
      return ctx.sink.errorCount === before ? { kind } : undefined;
    case 'poisson': {
      const args = bindArgs(call.args, sig, call.range, ctx.sink);
      const g = args.get('gain');
      const gain = g ? readNumber(g.value, 'gain', numOf(entry, 'gain'), ctx) : defaultNumber(entry, 'gain');
      return gain === undefined || ctx.sink.errorCount !== before ? undefined : { kind, gain };
    }
    case 'latency': {
      const args = bindArgs(call.args, sig, call.range, ctx.sink);
      const m = args.get('mode');
      const mode = m ? readChoice(m.value, 'mode', paramOf(entry, 'mode').choices as readonly ('linear' | 'log')[], ctx) : LATENCY_DEFAULTS.mode;
      const t = args.get('tau');
      const tau = t ? readNumber(t.value, 'tau', numOf(entry, 'tau'), ctx) : LATENCY_DEFAULTS.tau;
      const th = args.get('threshold');
      const threshold = th ? readNumber(th.value, 'threshold', numOf(entry, 'threshold'), ctx) : LATENCY_DEFAULTS.threshold;
      if (!mode || tau === undefined || threshold === undefined || ctx.sink.errorCount !== before) return undefined;
      return { kind, mode, tau, threshold };
    }
    default:
      return kind satisfies never;
  }
}

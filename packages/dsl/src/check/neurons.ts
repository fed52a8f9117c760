import { assertNever, type BuiltinNeuron, type NeuronDef, type SourceRange, type Surrogate, type SurrogateKind } from '@snnc/ir';
import type { CallExpr } from '../ast.js';
import { callable, defaultBoolean, defaultNumber, defaultWord, namesOf, numOf, signatureOf, type CallableEntry } from '../catalog/index.js';
import { asCall, asIdent, bindArgs, type BoundArgs } from './args.js';
import { describeValue, unwrapParens } from './describe.js';
import { readBool, readNumber, type ReadCtx } from './read.js';
import { didYouMean } from '@snnc/ir';

/** The neuron kinds as written in `.snn`, and their IR kinds. */
export const NEURON_KINDS = { LIF: 'lif', IF: 'if', PLIF: 'plif', ALIF: 'alif' } as const;
export type NeuronKeyword = keyof typeof NEURON_KINDS;

export function isNeuronKeyword(name: string): name is NeuronKeyword {
  return Object.prototype.hasOwnProperty.call(NEURON_KINDS, name);
}

/**
 * Defaults (SpikingJelly's where it has one): tau 2 steps, threshold 1, hard reset to 0,
 * decay_input true, detach_reset false, surrogate atan(alpha 2). ALIF: tau_adapt 20 steps,
 * beta 0.2 (threshold increase per spike).
 */
const ENTRY = Object.fromEntries(Object.keys(NEURON_KINDS).map((k) => [k, callable('neuron', k)])) as Record<NeuronKeyword, CallableEntry>;

export const NEURON_DEFAULTS = {
  tau: defaultNumber(ENTRY.LIF, 'tau'),
  threshold: defaultNumber(ENTRY.IF, 'threshold'),
  resetValue: defaultNumber(ENTRY.IF, 'reset'),
  decayInput: defaultBoolean(ENTRY.LIF, 'decay_input'),
  detachReset: defaultBoolean(ENTRY.IF, 'detach_reset'),
  tauAdapt: defaultNumber(ENTRY.ALIF, 'tau_adapt'),
  beta: defaultNumber(ENTRY.ALIF, 'beta'),
  surrogate: surrogateDefault(defaultWord(ENTRY.IF, 'surrogate')),
};

/** Default sharpness per surrogate, from the parameter table (as documented on `Surrogate` in the IR). */
export const SURROGATE_ALPHA = Object.fromEntries(namesOf('surrogate').map((k) => [k, defaultNumber(callable('surrogate', k), 'alpha')])) as Record<SurrogateKind, number>;

function surrogateDefault(kind: string): Surrogate {
  return { kind: kind as SurrogateKind, alpha: defaultNumber(callable('surrogate', kind), 'alpha') };
}

/** Resolves `LIF(tau: 2, ...)`; `name` is the declared name (or the kind for inline layers). */
export function resolveNeuron(call: CallExpr, kw: NeuronKeyword, name: string, range: SourceRange, ctx: ReadCtx): NeuronDef | undefined {
  const args = bindArgs(call.args, signatureOf(ENTRY[kw], kw), call.range, ctx.sink);
  const before = ctx.sink.errorCount;
  const common = readCommon(args, ctx);
  const kind = NEURON_KINDS[kw];
  let def: NeuronDef | undefined;
  switch (kind) {
    case 'if':
      def = common && { kind, name, ...common, range };
      break;
    case 'lif':
    case 'plif': {
      const leaky = readLeaky(args, ctx);
      def = common && leaky && { kind, name, ...common, ...leaky, range };
      break;
    }
    case 'alif': {
      const leaky = readLeaky(args, ctx);
      const tauAdapt = num(args, 'tau_adapt', NEURON_DEFAULTS.tauAdapt, numOf(ENTRY.ALIF, 'tau_adapt'), ctx);
      const beta = num(args, 'beta', NEURON_DEFAULTS.beta, numOf(ENTRY.ALIF, 'beta'), ctx);
      def = common && leaky && tauAdapt !== undefined && beta !== undefined ? { kind, name, ...common, ...leaky, tauAdapt, beta, range } : undefined;
      break;
    }
    default:
      return assertNever(kind);
  }
  return ctx.sink.errorCount === before ? def : undefined;
}

function num(args: BoundArgs, name: string, dflt: number, spec: Parameters<typeof readNumber>[2], ctx: ReadCtx): number | undefined {
  const a = args.get(name);
  return a ? readNumber(a.value, name, spec, ctx) : dflt;
}

function readLeaky(args: BoundArgs, ctx: ReadCtx): { tau: number; decayInput: boolean } | undefined {
  // tau is in time steps: a time unit here is a mistake, not a conversion.
  const tau = num(args, 'tau', NEURON_DEFAULTS.tau, numOf(ENTRY.LIF, 'tau'), ctx);
  const di = args.get('decay_input');
  const decayInput = di ? readBool(di.value, 'decay_input', ctx) : NEURON_DEFAULTS.decayInput;
  return tau === undefined || decayInput === undefined ? undefined : { tau, decayInput };
}

type Common = Pick<BuiltinNeuron, 'threshold' | 'reset' | 'resetValue' | 'detachReset' | 'surrogate'>;

function readCommon(args: BoundArgs, ctx: ReadCtx): Common | undefined {
  const threshold = num(args, 'threshold', NEURON_DEFAULTS.threshold, numOf(ENTRY.IF, 'threshold'), ctx);
  let reset: 'hard' | 'soft' = 'hard';
  let resetValue: number | undefined = NEURON_DEFAULTS.resetValue;
  const r = args.get('reset');
  if (r) {
    const id = asIdent(r.value);
    if (id && id.name === 'soft') reset = 'soft';
    else if (id && !['pi', 'e'].includes(id.name) && !ctx.env.names.has(id.name)) {
      ctx.sink.report('SNN3001', r.value.range, { name: 'reset', expected: 'a number (hard reset to that value) or `soft`', actual: describeValue(r.value) }, didYouMean(id.name, ['soft']));
      resetValue = undefined;
    } else resetValue = readNumber(r.value, 'reset', {}, ctx);
  }
  const dr = args.get('detach_reset');
  const detachReset = dr ? readBool(dr.value, 'detach_reset', ctx) : NEURON_DEFAULTS.detachReset;
  const s = args.get('surrogate');
  const surrogate = s ? readSurrogate(s.value, ctx) : NEURON_DEFAULTS.surrogate;
  if (threshold === undefined || resetValue === undefined || detachReset === undefined || surrogate === undefined) return undefined;
  return { threshold, reset, resetValue, detachReset, surrogate };
}

const SURROGATES = Object.keys(SURROGATE_ALPHA) as SurrogateKind[];

export function readSurrogate(e: Parameters<typeof asCall>[0], ctx: ReadCtx): Surrogate | undefined {
  const call = asCall(e);
  if (!call) {
    ctx.sink.report('SNN3001', e.range, { name: 'surrogate', expected: 'a surrogate such as `atan(alpha: 2)`', actual: describeValue(unwrapParens(e)) });
    return undefined;
  }
  const kind = call.callee.name;
  if (!(SURROGATES as string[]).includes(kind)) {
    ctx.sink.report('SNN3003', call.callee.range, { name: 'surrogate', choices: SURROGATES.map((c) => `\`${c}\``).join(', '), value: kind }, didYouMean(kind, SURROGATES));
    return undefined;
  }
  const k = kind as SurrogateKind;
  const entry = callable('surrogate', k);
  const args = bindArgs(call.args, signatureOf(entry, `surrogate ${k}`), call.range, ctx.sink);
  const alpha = num(args, 'alpha', SURROGATE_ALPHA[k], numOf(entry, 'alpha'), ctx);
  return alpha === undefined ? undefined : { kind: k, alpha };
}

import { assertNever, type NeuronDef, type SourceRange, type Surrogate, type SurrogateKind } from '@snnc/ir';
import type { CallExpr } from '../ast.js';
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
export const NEURON_DEFAULTS = {
  tau: 2,
  threshold: 1,
  resetValue: 0,
  decayInput: true,
  detachReset: false,
  tauAdapt: 20,
  beta: 0.2,
  surrogate: { kind: 'atan', alpha: 2 } as Surrogate,
};

/** Default sharpness per surrogate, as documented on `Surrogate` in the IR. */
export const SURROGATE_ALPHA: Record<SurrogateKind, number> = {
  atan: 2,
  sigmoid: 4,
  fast_sigmoid: 25,
  triangle: 0.3,
  piecewise_quadratic: 1,
};

const COMMON = ['threshold', 'reset', 'detach_reset', 'surrogate'];
const LEAKY = ['decay_input', ...COMMON];

const SIGNATURES: Record<NeuronKeyword, { positional: string[]; named: string[] }> = {
  IF: { positional: [], named: COMMON },
  LIF: { positional: ['tau'], named: LEAKY },
  PLIF: { positional: ['tau'], named: LEAKY },
  ALIF: { positional: ['tau'], named: ['tau_adapt', 'beta', ...LEAKY] },
};

/** Resolves `LIF(tau: 2, ...)`; `name` is the declared name (or the kind for inline layers). */
export function resolveNeuron(call: CallExpr, kw: NeuronKeyword, name: string, range: SourceRange, ctx: ReadCtx): NeuronDef | undefined {
  const sig = SIGNATURES[kw];
  const args = bindArgs(call.args, { owner: kw, ...sig }, call.range, ctx.sink);
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
      const tauAdapt = num(args, 'tau_adapt', NEURON_DEFAULTS.tauAdapt, { min: 1, minOpen: true }, ctx);
      const beta = num(args, 'beta', NEURON_DEFAULTS.beta, { min: 0 }, ctx);
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
  const tau = num(args, 'tau', NEURON_DEFAULTS.tau, { min: 1, minOpen: true }, ctx);
  const di = args.get('decay_input');
  const decayInput = di ? readBool(di.value, 'decay_input', ctx) : NEURON_DEFAULTS.decayInput;
  return tau === undefined || decayInput === undefined ? undefined : { tau, decayInput };
}

type Common = Pick<NeuronDef, 'threshold' | 'reset' | 'resetValue' | 'detachReset' | 'surrogate'>;

function readCommon(args: BoundArgs, ctx: ReadCtx): Common | undefined {
  const threshold = num(args, 'threshold', NEURON_DEFAULTS.threshold, {}, ctx);
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

function readSurrogate(e: Parameters<typeof asCall>[0], ctx: ReadCtx): Surrogate | undefined {
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
  const args = bindArgs(call.args, { owner: `surrogate ${k}`, positional: ['alpha'], named: [] }, call.range, ctx.sink);
  const alpha = num(args, 'alpha', SURROGATE_ALPHA[k], { min: 0, minOpen: true }, ctx);
  return alpha === undefined ? undefined : { kind: k, alpha };
}

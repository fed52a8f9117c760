import { didYouMean, type LearningRule, type Synapse } from '@snnc/ir';
import type { AstExpr } from '../ast.js';
import { callable, defaultNumber, namesOf, numOf, signatureOf } from '../catalog/index.js';
import { asCall, bindArgs } from './args.js';
import { describeValue, unwrapParens } from './describe.js';
import { readNumber, readNumberList, type ReadCtx } from './read.js';

const RULES = { PES: 'pes', BCM: 'bcm', Oja: 'oja', Voja: 'voja' } as const;

const lowpass = (tau: number): Synapse => ({ kind: 'lowpass', tau });

/**
 * `none`, a time constant (a lowpass, as in Nengo), `lowpass(tau)`, `alpha(tau)` or
 * `linear_filter([num...], [den...])` (transfer-function coefficients in seconds, highest
 * power first: `linear_filter([1], [0.005, 1])` is `lowpass(5ms)`).
 */
export function readSynapse(e: AstExpr, ctx: ReadCtx, name = 'synapse'): Synapse | null | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'ident' && x.name === 'none') return null;
  if (x.kind !== 'call') {
    const tau = readNumber(e, name, numOf(callable('synapse', 'lowpass'), 'tau'), ctx);
    return tau === undefined ? undefined : lowpass(tau);
  }
  const fn = x.callee.name;
  if (fn === 'lowpass' || fn === 'alpha') {
    const entry = callable('synapse', fn);
    const args = bindArgs(x.args, signatureOf(entry), x.range, ctx.sink);
    const a = args.get('tau');
    const tau = a && readNumber(a.value, 'tau', numOf(entry, 'tau'), ctx);
    return tau === undefined ? undefined : { kind: fn, tau };
  }
  if (fn === 'linear_filter') {
    const args = bindArgs(x.args, signatureOf(callable('synapse', fn)), x.range, ctx.sink);
    const n = args.get('num');
    const d = args.get('den');
    if (!n || !d) return undefined;
    const num = readNumberList(n.value, 'num', {}, ctx);
    const den = readNumberList(d.value, 'den', {}, ctx);
    if (!num || !den) return undefined;
    const lead = den.findIndex((v) => v !== 0);
    const numLead = num.findIndex((v) => v !== 0);
    if (lead < 0) {
      ctx.sink.report('SNN5302', d.value.range, { synapse: 'linear_filter', message: 'the denominator is zero' });
      return undefined;
    }
    if (numLead >= 0 && num.length - numLead > den.length - lead) {
      ctx.sink.report(
        'SNN5302',
        x.range,
        { synapse: 'linear_filter', message: `the numerator has degree ${num.length - numLead - 1}, above the denominator's ${den.length - lead - 1}; a synapse must be proper` },
        'give the denominator at least as many coefficients as the numerator',
      );
      return undefined;
    }
    return { kind: 'linear_filter', num, den };
  }
  const synapses = namesOf('synapse');
  ctx.sink.report('SNN3003', x.callee.range, { name, choices: ['`none`', 'a time', ...synapses.map((s) => `\`${s}(...)\``)].join(', '), value: fn }, didYouMean(fn, synapses));
  return undefined;
}

/** `none`, `PES`, `PES(learning_rate: 1e-4, pre_synapse: 5ms)`, `BCM(...)`, `Oja(...)`, `Voja(...)`. */
export function readLearningRule(e: AstExpr, ctx: ReadCtx): LearningRule | null | undefined {
  const bare = unwrapParens(e);
  if (bare.kind === 'ident' && bare.name === 'none') return null;
  const call = asCall(e);
  const kinds = Object.keys(RULES) as (keyof typeof RULES)[];
  if (!call || !(kinds as string[]).includes(call.callee.name)) {
    const at = call ? call.callee.range : e.range;
    ctx.sink.report('SNN3003', at, { name: 'learning', choices: kinds.map((k) => `\`${k}\``).join(', '), value: call ? call.callee.name : describeValue(e) }, call ? didYouMean(call.callee.name, kinds) : undefined);
    return undefined;
  }
  const kw = call.callee.name as keyof typeof RULES;
  const before = ctx.sink.errorCount;
  const entry = callable('learning', kw);
  const args = bindArgs(call.args, signatureOf(entry), call.range, ctx.sink);
  const num = (n: string): number | undefined => {
    const a = args.get(n);
    return a ? readNumber(a.value, n, numOf(entry, n), ctx) : defaultNumber(entry, n);
  };
  /** A rule's synapse: given, derived (Nengo: the post synapse defaults to the pre synapse) or the table's lowpass. */
  const syn = (n: string, derived?: Synapse | null): Synapse | null | undefined => {
    const a = args.get(n);
    if (a) return readSynapse(a.value, ctx, n);
    return derived !== undefined ? derived : lowpass(defaultNumber(entry, n));
  };
  const learningRate = num('learning_rate');
  let rule: LearningRule | undefined;
  switch (kw) {
    case 'PES': {
      const preSynapse = syn('pre_synapse');
      if (learningRate !== undefined && preSynapse !== undefined) rule = { kind: 'pes', learningRate, preSynapse };
      break;
    }
    case 'BCM': {
      const preSynapse = syn('pre_synapse');
      const postSynapse = preSynapse === undefined ? undefined : syn('post_synapse', preSynapse);
      const thetaSynapse = syn('theta_synapse');
      if (learningRate !== undefined && preSynapse !== undefined && postSynapse !== undefined && thetaSynapse !== undefined) rule = { kind: 'bcm', learningRate, preSynapse, postSynapse, thetaSynapse };
      break;
    }
    case 'Oja': {
      const preSynapse = syn('pre_synapse');
      const postSynapse = preSynapse === undefined ? undefined : syn('post_synapse', preSynapse);
      const beta = num('beta');
      if (learningRate !== undefined && preSynapse !== undefined && postSynapse !== undefined && beta !== undefined) rule = { kind: 'oja', learningRate, preSynapse, postSynapse, beta };
      break;
    }
    case 'Voja': {
      const postSynapse = syn('post_synapse');
      if (learningRate !== undefined && postSynapse !== undefined) rule = { kind: 'voja', learningRate, postSynapse };
      break;
    }
    default:
      return kw satisfies never;
  }
  return ctx.sink.errorCount === before ? rule : undefined;
}

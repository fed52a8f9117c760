import { closestMatch, didYouMean, type SourceRange } from '@snnc/ir';
import type { Arg, AstExpr, CallExpr, Ident } from '../ast.js';
import { unwrapParens } from './describe.js';
import type { Sink } from './sink.js';

/** The parameters a call accepts: `positional` can also be given by name. */
export interface Signature {
  /** For messages: `conv2d`, `optimizer adam`. */
  owner: string;
  positional: readonly string[];
  named: readonly string[];
  required?: readonly string[];
}

export interface BoundArg {
  value: AstExpr;
  /** The whole argument (`kernel: 3`) or just the value for positional ones. */
  range: SourceRange;
}

export type BoundArgs = Map<string, BoundArg>;

/**
 * Matches a call's arguments to a signature. Reports unknown names (with a suggestion),
 * duplicates, surplus positional arguments and missing required ones; what can be bound is
 * returned either way, so later checks still run.
 */
export function bindArgs(args: readonly Arg[], sig: Signature, callRange: SourceRange, sink: Sink): BoundArgs {
  const out: BoundArgs = new Map();
  const allowed = [...sig.positional, ...sig.named];
  let pos = 0;
  let sawNamed = false;
  // A misspelt name (`kernal`) is reported once, not again as a missing `kernel`.
  const suggested = new Set<string>();
  for (const a of args) {
    if (a.name === undefined) {
      if (sawNamed) {
        sink.report('SNN1002', a.range, { message: 'a positional argument cannot follow a named one' });
        continue;
      }
      const name = sig.positional[pos++];
      if (name === undefined) {
        sink.report('SNN2008', a.range, { owner: sig.owner, max: sig.positional.length });
        continue;
      }
      out.set(name, { value: a.value, range: a.value.range });
      continue;
    }
    sawNamed = true;
    const name = a.name.name;
    if (name === '') continue;
    if (!allowed.includes(name)) {
      const close = closestMatch(name, allowed);
      if (close !== undefined) suggested.add(close);
      sink.report('SNN2003', a.name.range, { owner: sig.owner, name }, didYouMean(name, allowed));
      continue;
    }
    if (out.has(name)) {
      sink.report('SNN2005', a.name.range, { name });
      continue;
    }
    out.set(name, { value: a.value, range: a.range });
  }
  for (const r of sig.required ?? []) {
    if (!out.has(r) && !suggested.has(r)) sink.report('SNN2004', callRange, { owner: sig.owner, name: r });
  }
  return out;
}

/** `adam` and `adam(lr: 0.1)` both name a kind with arguments; anything else is not a call. */
export function asCall(e: AstExpr): CallExpr | undefined {
  const x = unwrapParens(e);
  if (x.kind === 'call') return x;
  if (x.kind === 'ident') return { kind: 'call', callee: x, args: [], range: x.range };
  return undefined;
}

export function asIdent(e: AstExpr): Ident | undefined {
  const x = unwrapParens(e);
  return x.kind === 'ident' ? x : undefined;
}

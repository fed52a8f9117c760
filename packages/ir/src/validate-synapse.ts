import { assertNever } from './expr.js';
import type { Synapse } from './ir.js';
import type { SourceRange } from './source.js';
import type { Problems } from './validate-problems.js';

/**
 * Why a synapse cannot be simulated, or null: time constants are non-negative seconds; a linear
 * filter needs finite coefficients, a non-zero denominator and no more zeros than poles (proper).
 */
export function synapseProblem(s: Synapse): string | null {
  switch (s.kind) {
    case 'lowpass':
    case 'alpha':
      return s.tau >= 0 && Number.isFinite(s.tau) ? null : `tau must be a non-negative time, got ${s.tau}`;
    case 'linear_filter': {
      if (![...s.num, ...s.den].every(Number.isFinite)) return 'coefficients must be finite numbers';
      const den = withoutLeadingZeros(s.den);
      const num = withoutLeadingZeros(s.num);
      if (den.length === 0) return 'the denominator is zero';
      if (num.length > den.length) return `the numerator has degree ${num.length - 1}, above the denominator's ${den.length - 1} (the filter must be proper)`;
      return null;
    }
    default:
      return assertNever(s);
  }
}

function withoutLeadingZeros(poly: readonly number[]): number[] {
  const i = poly.findIndex((c) => c !== 0);
  return i < 0 ? [] : poly.slice(i);
}

/** SNN5302 for a synapse that cannot be simulated; null (no synapse) is fine. */
export function checkSynapse(s: Synapse | null, range: SourceRange | undefined, p: Problems): void {
  if (s === null) return;
  const problem = synapseProblem(s);
  if (problem !== null) p.add('SNN5302', { synapse: s.kind, message: problem }, range);
}

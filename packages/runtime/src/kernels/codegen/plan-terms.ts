import { literalValue, PLAN_SPIKE, PLAN_SURROGATE, type Expr } from '@snnc/ir';

/**
 * What the three kernel emitters (emit-js.ts, emit-c.ts, emit-wgsl.ts) share: the names the
 * emitted code gives a plan's values, and the sparse dot product of its Jacobian rows.
 */

/** Emitted names of a plan's values, by the plan's own names (state variables, input, spike). */
export interface PlanNames {
  /** The state before the step (z_i) and the input: what the update reads. */
  z: ReadonlyMap<string, string>;
  /** The state after the update (h_i), the spike and the surrogate: what the spike and reset read. */
  h: ReadonlyMap<string, string>;
  /** The previous step's state after its reset (p_i) and the input: what the update Jacobians read. */
  zp: ReadonlyMap<string, string>;
  /** The previous step's state before its reset (q_i): what the previous reset reads. */
  hp: ReadonlyMap<string, string>;
}

/** The names for a plan with these state variables and this input; `x` names the input value. */
export function planNames(state: readonly string[], input: string, x: string): PlanNames {
  const named = (prefix: string) => state.map((s, i) => [s, `${prefix}${i}`] as const);
  return {
    z: new Map([...named('z'), [input, x]]),
    h: new Map([...named('h'), [PLAN_SPIKE, 'sp'], [PLAN_SURROGATE, 'g']]),
    zp: new Map([...named('p'), [input, x]]),
    hp: new Map(named('q')),
  };
}

/**
 * `sum_i value_i * factor_i`, skipping literal-0 factors and multiplying by literal 1 for free;
 * `code` emits a factor only when it is needed, `zero` is the target language's 0.
 */
export function sparseDot(terms: readonly { value: string; factor: Expr; code: () => string }[], zero: string): string {
  const parts: string[] = [];
  for (const t of terms) {
    const lit = literalValue(t.factor);
    if (lit === 0) continue;
    parts.push(lit === 1 ? t.value : `${t.value} * ${t.code()}`);
  }
  return parts.length === 0 ? zero : parts.join(' + ');
}

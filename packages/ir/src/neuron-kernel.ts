import { assertNever, type Expr } from './expr.js';
import type { EquationNeuron, Surrogate } from './ir.js';
import { derivative, neuronStep, simplify, substituteExprs } from './neuron-math.js';

/**
 * The fused multi-step kernel of a neuron, as expressions: what one step computes forward and,
 * by symbolic differentiation of the same update, spike and reset expressions, what BPTT
 * computes backward. The runtime's kernels (generated JS loops for cpu/wasm, WGSL for webgpu,
 * whole-sequence tfjs ops for tensorflow) are all emitted from a plan, so a neuron's maths is
 * written once: in its `.snn` definition.
 *
 * Per step t (state z = z[t-1], input x = x[t]; z[-1] = the initial values):
 *   h_i = update_i(z, x)                          pre-spike state (the membrane is h_0)
 *   while refractory (`$b` = 1) the membrane is held: h_m = z_m, and no spike
 *   s = diff(h) >= 0 (or > 0)                     S = Heaviside(diff), surrogate g = sg(diff)
 *   z_i[t] = h_i - s delta_i(h)                   delta_i = h_i - reset_i(h); 0 if not reset
 * Backward, with gz = dL/dz[t] carried from step t+1 and dy = dL/d(output[t]):
 *   gh_j = dy g dDiff_j(h) + sum_i gz_i resetJac_ij(h, $s, $g)     (output = spikes)
 *   gh_j = gz_j + [j = m] dy                                        (non-spiking: output h_m)
 *   dL/dz[t-1]_j = sum_i gh_i updateJac_ij(z, x),   dL/dx[t] = sum_i gh_i inputJac_i(z, x)
 */
export interface NeuronKernelPlan {
  /** State variable names; expressions read them (as z in update/Jacobians, as h elsewhere). */
  state: string[];
  input: string;
  /** Starting values of the state (number literals; slots `$cK` once lifted). */
  init: Expr[];
  /** h_i from (z, x): each reads the state before the step; sequential updates are composed. */
  update: Expr[];
  /** Null for non-spiking neurons (output: h of the membrane, state 0). */
  spike: { diff: Expr; strict: boolean } | null;
  /** h_i - reset_i(h) per state (literal 0 where the reset does not touch it). */
  delta: Expr[];
  refractorySteps: number;
  /** d h_i / d z_j, read at (z, x). */
  updateJac: Expr[][];
  /** d h_i / d x, read at (z, x). */
  inputJac: Expr[];
  /** d diff / d h_j, read at h. */
  diffJac: Expr[];
  /** d z_i[t] / d h_j, read at h, `$s` (the spike) and `$g` (the surrogate, 0 when detached). */
  resetJac: Expr[][];
  /** Whether the backward reads the previous state z / the input x (nonlinear updates). */
  backwardReadsState: boolean;
  backwardReadsInput: boolean;
  detachReset: boolean;
  surrogate: Surrogate;
}

/** Reserved names (`$` is not part of `.snn` identifiers). */
export const PLAN_SPIKE = '$s';
export const PLAN_SURROGATE = '$g';

export type PlanResult = { ok: true; plan: NeuronKernelPlan } | { ok: false; reason: string };

const num = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const bin = (op: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

/**
 * The kernel plan of a neuron instance (parameters substituted) at its own `dt`, or why it has
 * none: trainable scalars and per-neuron parameters are learned or read through composed ops.
 */
export function neuronKernelPlan(def: EquationNeuron): PlanResult {
  if ((def.trainable?.length ?? 0) > 0) return { ok: false, reason: 'it has trainable scalars (learned through composed ops)' };
  if ((def.perNeuron?.length ?? 0) > 0) return { ok: false, reason: 'it has per-neuron parameters (read as tensors)' };
  const r = neuronStep(def);
  if (!r.ok) return r;
  const prog = r.program;
  const state = def.state.map((s) => s.name);
  if (state.length === 0) return { ok: false, reason: 'it has no state' };
  const input = def.input;
  if (state.some((s) => s.startsWith('$')) || input.startsWith('$')) return { ok: false, reason: 'reserved name' };

  // h_i(z, x): parallel updates read z; sequential ones read what earlier updates assigned, so
  // substituting the expressions assigned so far composes them into functions of (z, x).
  const current = new Map<string, Expr>(state.map((s) => [s, v(s)]));
  if (prog.sequential) {
    for (const u of prog.updates) current.set(u.target, simplify(substituteExprs(u.rhs, current)));
  } else {
    const next = prog.updates.map((u) => [u.target, u.rhs] as const);
    for (const [t, rhs] of next) current.set(t, rhs);
  }
  const update = state.map((s) => reciprocals(simplify(current.get(s)!)));

  const delta = resetDeltas(state, prog.reset);

  const spike = prog.spike && { diff: reciprocals(simplify(bin('-', prog.spike.left, prog.spike.right))), strict: prog.spike.op === '>' };
  const updateJac = update.map((h) => state.map((s) => derivative(h, s)));
  const inputJac = update.map((h) => derivative(h, input));
  const diffJac = spike ? state.map((s) => derivative(spike.diff, s)) : state.map(() => num(0));
  // z_i = h_i - s delta_i(h): dz_i/dh_j = [i = j] - s d delta_i/dh_j - delta_i ds/dh_j, with
  // ds/dh_j = g dDiff_j (dropped when the reset is detached: g reads 0 there)
  const resetJac = state.map((_, i) =>
    state.map((sj, j) => {
      let e: Expr = bin('-', num(i === j ? 1 : 0), bin('*', v(PLAN_SPIKE), derivative(delta[i]!, sj)));
      if (spike && !def.detachReset) e = bin('-', e, bin('*', delta[i]!, bin('*', v(PLAN_SURROGATE), diffJac[j]!)));
      return simplify(e);
    }),
  );
  const reads = (names: string[]) => [...updateJac.flat(), ...inputJac].some((e) => names.some((n) => mentions(e, n)));
  return {
    ok: true,
    plan: {
      state,
      input,
      init: prog.init.map((s) => num(s.value)),
      update,
      spike,
      delta,
      refractorySteps: prog.refractorySteps,
      updateJac,
      inputJac,
      diffJac,
      resetJac,
      backwardReadsState: reads(state),
      backwardReadsInput: reads([input]),
      detachReset: def.detachReset,
      surrogate: def.surrogate,
    },
  };
}

/**
 * delta_i = h_i - reset_i(h) per state, so that z = h - s delta(h) is the state after the step
 * (literal 0 for a state the reset leaves alone). The assignments run in order, each reading what
 * earlier ones assigned, so later ones are composed with earlier ones. The composed tfjs ops and
 * every kernel reset this way, so their spikes agree.
 */
export function resetDeltas(state: readonly string[], reset: readonly { target: string; value: Expr }[]): Expr[] {
  const after = new Map<string, Expr>(state.map((s) => [s, v(s)]));
  for (const a of reset) after.set(a.target, simplify(substituteExprs(a.value, after)));
  return state.map((s) => reciprocals(cancel(simplify(bin('-', v(s), after.get(s)!)))));
}

/** Whether `e` reads the name. */
export function mentions(e: Expr, name: string): boolean {
  switch (e.kind) {
    case 'num':
      return false;
    case 'var':
      return e.name === name;
    case 'index':
      return mentions(e.target, name);
    case 'unary':
      return mentions(e.arg, name);
    case 'binary':
      return mentions(e.left, name) || mentions(e.right, name);
    case 'call':
      return e.args.some((a) => mentions(a, name));
    default:
      return assertNever(e);
  }
}

/** Structural equality of two simplified trees. */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'num':
      return Object.is(a.value, (b as typeof a).value);
    case 'var':
      return a.name === (b as typeof a).name;
    case 'index':
      return a.index === (b as typeof a).index && sameExpr(a.target, (b as typeof a).target);
    case 'unary':
      return a.op === (b as typeof a).op && sameExpr(a.arg, (b as typeof a).arg);
    case 'binary': {
      const o = b as typeof a;
      return a.op === o.op && sameExpr(a.left, o.left) && sameExpr(a.right, o.right);
    }
    case 'call': {
      const o = b as typeof a;
      return a.fn === o.fn && a.args.length === o.args.length && a.args.every((x, i) => sameExpr(x, o.args[i]!));
    }
    default:
      return assertNever(a);
  }
}

/**
 * `a - (a - b)` -> `b` and `a - (a + b)` -> `-b`: the soft reset's delta h - (h - threshold) is the threshold, so the
 * kernels compute h - s threshold (exactly h - threshold on a spike) rather than a rounded
 * difference of differences.
 */
function cancel(e: Expr): Expr {
  if (e.kind === 'binary' && e.op === '-' && sameExpr(e.left, e.right)) return num(0); // a state the reset does not touch
  if (e.kind !== 'binary' || e.op !== '-' || e.right.kind !== 'binary' || !sameExpr(e.left, e.right.left)) return e;
  if (e.right.op === '-') return e.right.right;
  if (e.right.op === '+') return simplify({ kind: 'unary', op: '-', arg: e.right.right }); // u - (u + d) = -d
  return e;
}

/**
 * Division by a constant becomes multiplication by its reciprocal (computed once, in float64):
 * SpikingJelly's LIF `(x - v) / tau` runs as `(x - v) * (1/tau)`, the arithmetic the trained
 * results were produced with, and a multiply is cheaper per element than a divide.
 */
export function reciprocals(e: Expr): Expr {
  switch (e.kind) {
    case 'num':
    case 'var':
      return e;
    case 'index':
      return { ...e, target: reciprocals(e.target) };
    case 'unary':
      return { ...e, arg: reciprocals(e.arg) };
    case 'binary': {
      const left = reciprocals(e.left);
      const right = reciprocals(e.right);
      if (e.op === '/' && right.kind === 'num' && right.value !== 0) return { kind: 'binary', op: '*', left, right: num(1 / right.value) };
      return { ...e, left, right };
    }
    case 'call':
      return { ...e, args: e.args.map(reciprocals) };
    default:
      return assertNever(e);
  }
}

// ---------------------------------------------------------------------------------------
// Constants lifted out: one generated kernel serves every instance of the same shape

/**
 * A plan with its numeric literals replaced by slots `$c0, $c1, ...` (in a fixed walk order),
 * and the values. Two instances whose plans differ only in their numbers (LIF with tau 2 or
 * tau 5) share `key`, so one generated kernel serves both with different `constants`.
 */
export interface LiftedPlan {
  key: string;
  plan: NeuronKernelPlan;
  constants: number[];
}

export const PLAN_CONSTANT = '$c';

export function liftConstants(plan: NeuronKernelPlan): LiftedPlan {
  const constants: number[] = [];
  const lift = (e: Expr): Expr => {
    switch (e.kind) {
      case 'num':
        constants.push(e.value);
        return v(`${PLAN_CONSTANT}${constants.length - 1}`);
      case 'var':
        return e;
      case 'index':
        return { ...e, target: lift(e.target) };
      case 'unary':
        return { ...e, arg: lift(e.arg) };
      case 'binary':
        // a constant exponent stays in the shape: `v ^ 2` is emitted as a product
        return { ...e, left: lift(e.left), right: e.op === '^' && e.right.kind === 'num' ? e.right : lift(e.right) };
      case 'call':
        return { ...e, args: e.args.map(lift) };
      default:
        return assertNever(e);
    }
  };
  // A Jacobian entry that is 0 or 1 decides which terms exist, and a delta of 0 that a state is
  // not reset: these stay literal (and in the key) so emitted code skips them. Every other
  // number becomes a slot.
  const keep = (e: Expr): Expr => (e.kind === 'num' && (e.value === 0 || e.value === 1) ? e : lift(e));
  const keepZero = (e: Expr): Expr => (e.kind === 'num' && e.value === 0 ? e : lift(e));
  const lifted: NeuronKernelPlan = {
    ...plan,
    init: plan.init.map(lift),
    update: plan.update.map(lift),
    spike: plan.spike && { diff: lift(plan.spike.diff), strict: plan.spike.strict },
    delta: plan.delta.map(keepZero),
    updateJac: plan.updateJac.map((row) => row.map(keep)),
    inputJac: plan.inputJac.map(keep),
    diffJac: plan.diffJac.map(keep),
    resetJac: plan.resetJac.map((row) => row.map(keep)),
  };
  // The surrogate's kind and alpha are arguments of the kernel, not part of its shape.
  const shape = { ...lifted, surrogate: undefined, refractorySteps: plan.refractorySteps > 0 ? 'some' : 'none' };
  return { key: JSON.stringify(shape, (k, val: unknown) => (k === 'range' ? undefined : val)), plan: lifted, constants };
}

/** `slot` of a constant's var name, or -1. */
export function constantSlot(name: string): number {
  return name.startsWith(PLAN_CONSTANT) ? Number(name.slice(PLAN_CONSTANT.length)) : -1;
}

/** The literal or slot an expression is, for emitters that skip 0 and 1 terms. */
export function literalValue(e: Expr): number | null {
  return e.kind === 'num' ? e.value : null;
}

/** Short, stable name for a key (generated function names): FNV-1a of the key, hex. */
export function planHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

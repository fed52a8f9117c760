import { assertNever, compileExpr, type BinaryOp, type Expr } from './expr.js';
import type { EquationNeuron } from './ir.js';

/**
 * Symbolic maths over neuron expression trees: substitution, constant folding, derivatives,
 * and the per-step update program of an {@link EquationNeuron} (forward Euler, or the exact
 * propagator of linear dynamics). Runtimes, `snnc trace` and the compiler's checks all derive
 * a neuron's step from here, so its maths is written once.
 */

const num = (value: number): Expr => ({ kind: 'num', value });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const call = (fn: Extract<Expr, { kind: 'call' }>['fn'], ...args: Expr[]): Expr => ({ kind: 'call', fn, args });

/** Replaces named variables by constants (parameters by their values). */
export function substitute(e: Expr, values: Readonly<Record<string, number>>): Expr {
  return substituteExprs(e, new Map(Object.entries(values).map(([k, v]) => [k, num(v)])));
}

/** Replaces named variables by expressions. */
export function substituteExprs(e: Expr, by: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'num':
      return e;
    case 'var':
      return by.get(e.name) ?? e;
    case 'index':
      return { ...e, target: substituteExprs(e.target, by) };
    case 'unary':
      return { ...e, arg: substituteExprs(e.arg, by) };
    case 'binary':
      return { ...e, left: substituteExprs(e.left, by), right: substituteExprs(e.right, by) };
    case 'call':
      return { ...e, args: e.args.map((a) => substituteExprs(a, by)) };
    default:
      return assertNever(e);
  }
}

function isNum(e: Expr, v?: number): e is Extract<Expr, { kind: 'num' }> {
  return e.kind === 'num' && (v === undefined || e.value === v);
}

const NO_ENV = { t: 0, x: [], vars: {} };

/** Constant folding and the identities x+0, x*1, x*0, x/1, x^1, x^0; drops source ranges. */
export function simplify(e: Expr): Expr {
  switch (e.kind) {
    case 'num':
      return num(e.value);
    case 'var':
      return { kind: 'var', name: e.name };
    case 'index':
      return { kind: 'index', target: simplify(e.target), index: e.index };
    case 'unary': {
      const a = simplify(e.arg);
      if (e.op === '+') return a;
      if (isNum(a)) return num(compileExpr({ kind: 'unary', op: e.op, arg: a })(NO_ENV));
      if (e.op === '-' && a.kind === 'unary' && a.op === '-') return a.arg;
      return { kind: 'unary', op: e.op, arg: a };
    }
    case 'binary': {
      const l = simplify(e.left);
      const r = simplify(e.right);
      if (isNum(l) && isNum(r)) return num(compileExpr(bin(e.op, l, r))(NO_ENV));
      switch (e.op) {
        case '+':
          if (isNum(l, 0)) return r;
          if (isNum(r, 0)) return l;
          break;
        case '-':
          if (isNum(r, 0)) return l;
          if (isNum(l, 0)) return simplify({ kind: 'unary', op: '-', arg: r });
          break;
        case '*':
          if (isNum(l, 0) || isNum(r, 0)) return num(0);
          if (isNum(l, 1)) return r;
          if (isNum(r, 1)) return l;
          break;
        case '/':
          if (isNum(r, 1)) return l;
          if (isNum(l, 0)) return num(0);
          break;
        case '^':
          if (isNum(r, 1)) return l;
          if (isNum(r, 0)) return num(1);
          break;
        default:
          break;
      }
      return bin(e.op, l, r);
    }
    case 'call': {
      const args = e.args.map(simplify);
      if (args.every((a) => isNum(a))) return num(compileExpr(call(e.fn, ...args))(NO_ENV));
      if ((e.fn === 'if' || e.fn === 'where') && isNum(args[0]!)) return args[0].value !== 0 ? args[1]! : args[2]!;
      return call(e.fn, ...args);
    }
    default:
      return assertNever(e);
  }
}

/**
 * d e / d name, simplified. Comparisons, `sign`, `floor` and `ceil` are piecewise constant
 * (derivative 0, as autodiff frameworks define them); `min`/`max`/`clip`/`if` pick the
 * derivative of the branch they pick.
 */
export function derivative(e: Expr, name: string): Expr {
  return simplify(d(e, name));
}

function d(e: Expr, v: string): Expr {
  switch (e.kind) {
    case 'num':
      return num(0);
    case 'var':
      return num(e.name === v ? 1 : 0);
    case 'index':
      return num(0);
    case 'unary':
      return e.op === '-' ? { kind: 'unary', op: '-', arg: d(e.arg, v) } : e.op === '+' ? d(e.arg, v) : num(0);
    case 'binary': {
      const { left: a, right: b, op } = e;
      switch (op) {
        case '+':
        case '-':
          return bin(op, d(a, v), d(b, v));
        case '*':
          return bin('+', bin('*', d(a, v), b), bin('*', a, d(b, v)));
        case '/':
          return bin('/', bin('-', bin('*', d(a, v), b), bin('*', a, d(b, v))), bin('^', b, num(2)));
        case '^': {
          const bs = simplify(b);
          if (isNum(bs)) return bin('*', bin('*', num(bs.value), bin('^', a, num(bs.value - 1))), d(a, v));
          // a^b (b' ln a + b a'/a)
          return bin('*', e, bin('+', bin('*', d(b, v), call('log', a)), bin('/', bin('*', b, d(a, v)), a)));
        }
        case '%':
          return d(a, v);
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=':
        case '&&':
        case '||':
          return num(0);
        default:
          return assertNever(op);
      }
    }
    case 'call':
      return dCall(e, v);
    default:
      return assertNever(e);
  }
}

function dCall(e: Extract<Expr, { kind: 'call' }>, v: string): Expr {
  const a = e.args[0] ?? num(NaN);
  const da = d(a, v);
  switch (e.fn) {
    case 'sin':
      return bin('*', call('cos', a), da);
    case 'cos':
      return bin('*', { kind: 'unary', op: '-', arg: call('sin', a) }, da);
    case 'tan':
      return bin('/', da, bin('^', call('cos', a), num(2)));
    case 'exp':
      return bin('*', e, da);
    case 'log':
      return bin('/', da, a);
    case 'tanh':
      return bin('*', bin('-', num(1), bin('^', e, num(2))), da);
    case 'abs':
      return bin('*', call('sign', a), da);
    case 'sqrt':
      return bin('/', da, bin('*', num(2), e));
    case 'sign':
    case 'floor':
    case 'ceil':
      return num(0);
    case 'min':
    case 'max': {
      if (e.args.length === 1) return da;
      // fold pairwise: max(a, b, c) = max(max(a, b), c)
      let acc = a;
      let dacc = da;
      for (const b of e.args.slice(1)) {
        const pickA = bin(e.fn === 'max' ? '>=' : '<=', acc, b);
        dacc = call('if', pickA, dacc, d(b, v));
        acc = call(e.fn, acc, b);
      }
      return dacc;
    }
    case 'if':
    case 'where':
      return call('if', a, d(e.args[1] ?? num(NaN), v), d(e.args[2] ?? num(NaN), v));
    case 'clip': {
      const lo = e.args[1] ?? num(NaN);
      const hi = e.args[2] ?? num(NaN);
      return call('if', bin('<', a, lo), d(lo, v), call('if', bin('>', a, hi), d(hi, v), da));
    }
    default:
      return assertNever(e.fn);
  }
}

// ---------------------------------------------------------------------------------------
// One step of an equation neuron

/**
 * A neuron's step as plain updates: each `rhs` reads the state before the step (or, when
 * `sequential`, the values assigned by earlier updates of the same step), the input by its
 * name, and numbers; parameters are substituted.
 */
export interface NeuronStepProgram {
  updates: { target: string; rhs: Expr }[];
  sequential: boolean;
  spike: { left: Expr; op: '>=' | '>'; right: Expr } | null;
  reset: { target: string; value: Expr }[];
  init: { name: string; value: number }[];
  refractorySteps: number;
  /** The first state variable: held while refractory, and the output of non-spiking neurons. */
  membrane: string;
}

export type StepResult = { ok: true; program: NeuronStepProgram } | { ok: false; reason: string };

/** The starting values of a definition's trainable scalars, by name. */
export function trainableInits(def: EquationNeuron): Record<string, number> {
  return Object.fromEntries((def.trainable ?? []).map((t) => [t.name, evalScalar(substitute(t.init, def.params), {})]));
}

/**
 * The update program of `def` at step `dt` seconds (default: its own `dt`). Trainable scalars
 * are substituted by their starting values unless `keepTrainable` (the runtime, which feeds them
 * as variables).
 */
export function neuronStep(def: EquationNeuron, dt: number = def.dt, keepTrainable = false): StepResult {
  if (!(dt > 0) || !Number.isFinite(dt)) return { ok: false, reason: `the step must be a positive time, got ${dt} s` };
  const p = keepTrainable ? def.params : { ...def.params, ...trainableInits(def) };
  const sub = (e: Expr) => simplify(substitute(e, p));
  let updates: { target: string; rhs: Expr }[];
  let sequential = false;
  switch (def.scheme) {
    case 'discrete':
      updates = def.equations.map((q) => ({ target: q.target, rhs: sub(q.rhs) }));
      sequential = true;
      break;
    case 'euler':
      updates = def.equations.map((q) => ({ target: q.target, rhs: simplify(bin('+', { kind: 'var', name: q.target }, bin('*', num(dt), sub(q.rhs)))) }));
      break;
    case 'exact': {
      const r = exactUpdates(def, dt);
      if (!r.ok) return r;
      updates = r.updates;
      break;
    }
    default:
      return assertNever(def.scheme);
  }
  const initValues: Record<string, number> = { ...p };
  const init: { name: string; value: number }[] = [];
  for (const s of def.state) {
    const value = evalScalar(substitute(s.init, initValues), {});
    initValues[s.name] = value;
    init.push({ name: s.name, value });
  }
  const spike = def.spike && { left: sub(def.spike.left), op: def.spike.op, right: sub(def.spike.right) };
  const refractorySteps = def.refractory === null ? 0 : def.refractory.unit === 'steps' ? def.refractory.value : Math.round(def.refractory.value / dt);
  return {
    ok: true,
    program: {
      updates,
      sequential,
      spike,
      reset: def.reset.map((r) => ({ target: r.target, value: sub(r.value) })),
      init,
      refractorySteps,
      membrane: def.state[0]?.name ?? '',
    },
  };
}

/**
 * Why the dynamics are not linear with constant coefficients (the condition for `exact`), or
 * null when they are. Parameters are read from `params`.
 */
export function nonLinearity(def: Pick<EquationNeuron, 'equations' | 'state' | 'input' | 'params'>): string | null {
  const vars = [...def.state.map((s) => s.name), def.input];
  for (const q of def.equations) {
    const rhs = simplify(substitute(q.rhs, def.params));
    for (const v of vars) {
      const c = derivative(rhs, v);
      if (!isNum(c)) return `d${q.target}/dt is not linear in \`${v}\` with a constant coefficient`;
    }
  }
  return null;
}

/**
 * Exact integration of dz/dt = A z + B u + c with u held over the step: the augmented
 * matrix M = [[A, B, c], [0, 0, 0], [0, 0, 0]] gives z' = expm(M dt) [z; u; 1].
 */
function exactUpdates(def: EquationNeuron, dt: number): { ok: true; updates: { target: string; rhs: Expr }[] } | { ok: false; reason: string } {
  const why = nonLinearity(def);
  if (why) return { ok: false, reason: `exact integration needs linear dynamics: ${why}` };
  const names = def.state.map((s) => s.name);
  const cols = [...names, def.input];
  const n = cols.length + 1;
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const odeOf = new Map(def.equations.map((q) => [q.target, simplify(substitute(q.rhs, def.params))]));
  names.forEach((s, i) => {
    const rhs = odeOf.get(s);
    if (!rhs) return; // a state without an equation stays constant between resets
    cols.forEach((v, j) => {
      m[i]![j] = (derivative(rhs, v) as Extract<Expr, { kind: 'num' }>).value * dt;
    });
    const zero = Object.fromEntries(cols.map((v) => [v, 0]));
    m[i]![n - 1] = evalScalar(substitute(rhs, zero), {}) * dt;
  });
  const P = expm(m);
  const updates = names.map((s, i) => {
    let rhs: Expr = num(P[i]![n - 1]!);
    cols.forEach((v, j) => {
      const c = P[i]![j]!;
      if (c !== 0) rhs = bin('+', rhs, bin('*', num(c), { kind: 'var', name: v }));
    });
    return { target: s, rhs: simplify(rhs) };
  });
  return { ok: true, updates };
}

/** Matrix exponential by scaling and squaring with a Taylor series (small, well-scaled matrices). */
export function expm(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const norm = Math.max(0, ...a.map((row) => row.reduce((s, v) => s + Math.abs(v), 0)));
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -squarings;
  const x = a.map((row) => row.map((v) => v * scale));
  const id = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const mul = (p: number[][], q: number[][]): number[][] => p.map((row) => q[0]!.map((_, j) => row.reduce((s, v, k) => s + v * q[k]![j]!, 0)));
  let result = id();
  let term = id();
  for (let k = 1; k <= 18; k++) {
    term = mul(term, x).map((row) => row.map((v) => v / k));
    result = result.map((row, i) => row.map((v, j) => v + term[i]![j]!));
  }
  for (let s = 0; s < squarings; s++) result = mul(result, result);
  return result;
}

/** Evaluates a scalar expression; names not in `vars` read as NaN. */
export function evalScalar(e: Expr, vars: Readonly<Record<string, number>>): number {
  const env = { t: 0, x: [vars['x'] ?? NaN], vars: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, [v]])) };
  return compileExpr(e)(env);
}

// ---------------------------------------------------------------------------------------
// Scalar simulation (float64): `snnc trace` and the reference the runtime is tested against

export interface NeuronTrace {
  /** Per state variable, its value after each step. */
  state: Record<string, Float64Array>;
  /** 0/1 per step. */
  spikes: Uint8Array;
}

/** Drives one neuron with `input[k]` at step k; row k is the state after step k. */
export function simulateNeuron(def: EquationNeuron, input: ArrayLike<number>, dt: number = def.dt): NeuronTrace {
  const step = neuronStep(def, dt);
  if (!step.ok) throw new Error(`simulateNeuron: ${step.reason}`);
  const prog = step.program;
  const steps = input.length;
  const names = def.state.map((s) => s.name);
  const trace: NeuronTrace = { state: Object.fromEntries(names.map((n) => [n, new Float64Array(steps)])), spikes: new Uint8Array(steps) };
  const env = { t: 0, x: [0], vars: Object.fromEntries(names.map((n) => [n, [0]])) as Record<string, number[]> };
  const x = def.input === 'x' ? env.x : (env.vars[def.input] = [0]);
  for (const s of prog.init) env.vars[s.name]![0] = s.value;
  const updates = prog.updates.map((u) => ({ target: u.target, f: compileExpr(u.rhs) }));
  const reset = prog.reset.map((r) => ({ target: r.target, f: compileExpr(r.value) }));
  const left = prog.spike && compileExpr(prog.spike.left);
  const right = prog.spike && compileExpr(prog.spike.right);
  const strict = prog.spike?.op === '>';
  const membrane = env.vars[prog.membrane];
  let refractory = 0;
  const next = new Map<string, number>();
  for (let k = 0; k < steps; k++) {
    x[0] = input[k]!;
    env.t = k * dt;
    const held = membrane?.[0] ?? 0;
    if (prog.sequential) for (const u of updates) env.vars[u.target]![0] = u.f(env);
    else {
      for (const u of updates) next.set(u.target, u.f(env));
      for (const [t, v] of next) env.vars[t]![0] = v;
    }
    let spike = false;
    if (refractory > 0) {
      if (membrane) membrane[0] = held;
      refractory--;
    } else if (left && right) {
      const diff = left(env) - right(env);
      spike = strict ? diff > 0 : diff >= 0;
    }
    if (spike) {
      for (const r of reset) env.vars[r.target]![0] = r.f(env);
      refractory = prog.refractorySteps;
    }
    trace.spikes[k] = spike ? 1 : 0;
    for (const n of names) trace.state[n]![k] = env.vars[n]![0]!;
  }
  return trace;
}

// ---------------------------------------------------------------------------------------
// Recognising the IF/LIF family in a definition (for the runtime's fused kernels)

/**
 * The IF/LIF shape of a neuron, when its step (at its own dt, parameters substituted) is one
 * state v with v' = a v + b x + c (constant a, b, c: found by symbolic differentiation), a spike
 * at v >= threshold (a constant), and a reset to a constant (hard) or by subtracting the
 * threshold (soft), without a refractory period. Such a neuron is SpikingJelly's IF
 * (a = b = 1, c = 0) or LIF (with decay_input: b = 1/tau, a = 1 - b, c = v_reset b; without:
 * b = 1, a = 1 - 1/tau, c = v_reset / tau), whatever scheme produced the step: a discrete
 * update, forward Euler or the exact propagator of dv/dt = (x - v) / tau. Null otherwise.
 */
export interface LinearNeuronShape {
  charge: 'if' | 'lif';
  invTau: number;
  decayInput: boolean;
  threshold: number;
  reset: 'hard' | 'soft';
  vReset: number;
}

export function recogniseLinearNeuron(def: EquationNeuron): LinearNeuronShape | null {
  // a trainable scalar is learned through the composed ops, never frozen into a kernel
  if ((def.trainable?.length ?? 0) > 0) return null;
  // per-neuron parameters are tensors read from the weights, not one kernel constant
  if ((def.perNeuron?.length ?? 0) > 0) return null;
  if (def.state.length !== 1 || def.refractory !== null || !def.spike || def.spike.op !== '>=') return null;
  const step = neuronStep(def);
  if (!step.ok) return null;
  const p = step.program;
  const v = p.membrane;
  const u = p.updates;
  if (u.length !== 1 || u[0]!.target !== v || p.reset.length !== 1 || p.reset[0]!.target !== v) return null;
  const rhs = u[0]!.rhs;
  const a = derivative(rhs, v);
  const b = derivative(rhs, def.input);
  if (!isNum(a) || !isNum(b)) return null;
  const c = evalScalar(substitute(rhs, { [v]: 0, [def.input]: 0 }), {});
  const left = simplify(p.spike!.left);
  const right = simplify(p.spike!.right);
  if (left.kind !== 'var' || left.name !== v || !isNum(right)) return null;
  const threshold = right.value;
  const init = p.init[0]!.value;
  const value = p.reset[0]!.value;
  let reset: 'hard' | 'soft';
  if (isNum(value)) {
    if (value.value !== init) return null; // the kernels start v at its reset value
    reset = 'hard';
  } else {
    const slope = derivative(value, v);
    const offset = evalScalar(substitute(value, { [v]: 0 }), {});
    if (!isNum(slope) || slope.value !== 1 || !close(offset, -threshold)) return null;
    reset = 'soft';
  }
  const vReset = init;
  const A = a.value;
  const B = b.value;
  if (A === 1 && B === 1 && c === 0) return { charge: 'if', invTau: 0, decayInput: false, threshold, reset, vReset };
  if (B > 0 && B < 1 && close(A, 1 - B) && close(c, vReset * B)) return { charge: 'lif', invTau: B, decayInput: true, threshold, reset, vReset };
  if (B === 1 && A < 1 && A >= 0 && close(c, vReset * (1 - A))) return { charge: 'lif', invTau: 1 - A, decayInput: false, threshold, reset, vReset };
  return null;
}

function close(x: number, y: number): boolean {
  return Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y));
}

import { describe, expect, it } from 'vitest';
import { builtinAsEquations } from './builtin-neurons.js';
import { compileExpr, type Expr } from './expr.js';
import type { BuiltinNeuron, EquationNeuron } from './ir.js';
import { liftConstants, neuronKernelPlan, planHash, PLAN_SPIKE, PLAN_SURROGATE, type NeuronKernelPlan } from './neuron-kernel.js';
import { simulateNeuron } from './neuron-math.js';
import { Random } from './random.js';

const n = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const op = (o: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'binary', op: o, left, right });

const surrogate = { kind: 'atan', alpha: 2 } as const;
const lif = (over: Partial<BuiltinNeuron> = {}): EquationNeuron =>
  builtinAsEquations({ kind: 'lif', name: 'lif', tau: 2, decayInput: true, threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate, ...over } as BuiltinNeuron);

/** Izhikevich (2003) by forward Euler, v in mV, time in ms (the library's definition). */
const izhikevich: EquationNeuron = {
  kind: 'equations',
  name: 'izh',
  definition: 'Izhikevich',
  params: { a: 0.02, b: 0.2, c: -65, d: 8 },
  input: 'I',
  state: [
    { name: 'v', init: n(-65) },
    { name: 'u', init: op('*', v('b'), n(-65)) },
  ],
  scheme: 'euler',
  dt: 1e-4,
  equations: [
    { target: 'v', form: 'ode', rhs: op('/', op('+', op('-', op('+', op('+', op('*', n(0.04), op('^', v('v'), n(2))), op('*', n(5), v('v'))), n(140)), v('u')), v('I')), n(1e-3)) },
    { target: 'u', form: 'ode', rhs: op('/', op('*', v('a'), op('-', op('*', v('b'), v('v')), v('u'))), n(1e-3)) },
  ],
  spike: { left: v('v'), op: '>=', right: n(30) },
  reset: [
    { target: 'v', value: v('c') },
    { target: 'u', value: op('+', v('u'), v('d')) },
  ],
  refractory: null,
  surrogate,
  detachReset: false,
};

function plan(def: EquationNeuron): NeuronKernelPlan {
  const r = neuronKernelPlan(def);
  if (!r.ok) throw new Error(r.reason);
  return r.plan;
}

const at = (e: Expr, vars: Record<string, number>): number => compileExpr(e)({ t: 0, x: [vars['x'] ?? NaN], vars: Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, [x]])) });

/** The plan's forward in float64 (update, hold while refractory, spike, h - s delta). */
function runPlan(p: NeuronKernelPlan, input: number[]): { spikes: number[]; state: number[][] } {
  let z = p.init.map((e) => at(e, {}));
  let rc = 0;
  const spikes: number[] = [];
  const state: number[][] = [];
  for (const x of input) {
    const env = Object.fromEntries([...p.state.map((s, i) => [s, z[i]!] as const), [p.input, x] as const]);
    const h = p.update.map((e) => at(e, env));
    const blocked = rc > 0;
    if (blocked) {
      h[0] = z[0]!;
      rc--;
    }
    const henv = Object.fromEntries(p.state.map((s, i) => [s, h[i]!] as const));
    const s = p.spike && !blocked && at(p.spike.diff, henv) >= 0 ? 1 : 0;
    z = h.map((hi, i) => hi - s * at(p.delta[i]!, henv));
    if (s) rc = p.refractorySteps;
    spikes.push(s);
    state.push(z);
  }
  return { spikes, state };
}

describe('neuron kernel plans', () => {
  it("SpikingJelly's LIF: the update multiplies by 1/tau; the Jacobians are its constants", () => {
    const p = plan(lif());
    expect(p.update[0]).toEqual(op('+', v('v'), op('*', op('-', v('x'), v('v')), n(0.5))));
    expect(p.delta[0]).toEqual(v('v')); // hard reset to 0: z = h - s h
    expect(p.updateJac).toEqual([[n(0.5)]]);
    expect(p.inputJac).toEqual([n(0.5)]);
    expect(p.diffJac).toEqual([n(1)]);
    // dz/dh = 1 - s - h g (the reset's own surrogate term), 1 - s when detached
    expect(p.resetJac[0]![0]).toEqual(op('-', op('-', n(1), v(PLAN_SPIKE)), op('*', v('v'), v(PLAN_SURROGATE))));
    expect(plan(lif({ detachReset: true })).resetJac[0]![0]).toEqual(op('-', n(1), v(PLAN_SPIKE)));
    expect(p.backwardReadsState).toBe(false);
    expect(p.backwardReadsInput).toBe(false);
  });

  it('a soft reset subtracts the threshold itself (no difference of differences)', () => {
    const p = plan(lif({ reset: 'soft', threshold: 0.8 }));
    expect(p.delta[0]).toEqual(n(0.8));
    expect(p.resetJac[0]![0]).toEqual(op('-', n(1), op('*', n(0.8), v(PLAN_SURROGATE))));
  });

  it('composes sequential updates and resets (ALIF: the threshold reads the new adaptation)', () => {
    const alif = builtinAsEquations({ kind: 'alif', name: 'alif', tau: 2, decayInput: true, tauAdapt: 20, beta: 0.2, threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate });
    const p = plan(alif);
    expect(p.state).toEqual(['v', 'a', 'fired']);
    expect(p.delta[1]).toEqual(n(0)); // the adaptation is not reset
    expect(p.diffJac.map((e) => at(e, {}))).toEqual([1, -0.2, 0]);
    const rng = new Random(3);
    const input = Array.from({ length: 200 }, () => 2 * rng.uniform());
    const ref = simulateNeuron(alif, input);
    const got = runPlan(p, input);
    expect(got.spikes).toEqual(Array.from(ref.spikes));
    got.state.forEach((z, k) => z.forEach((x, i) => expect(x).toBeCloseTo(ref.state[p.state[i]!]![k]!, 12)));
  });

  it("Izhikevich: the forward equals the scalar simulator; the Jacobians equal finite differences", () => {
    const p = plan(izhikevich);
    expect(p.delta[1]).toEqual(n(-8)); // u += d as h - (-d)
    expect(p.backwardReadsState).toBe(true); // dv'/dv = 1 + dt (0.08 v + 5) / ms
    expect(p.backwardReadsInput).toBe(false);
    const input = Array.from({ length: 10000 }, () => 10);
    const ref = simulateNeuron(izhikevich, input);
    const got = runPlan(p, input);
    expect(got.spikes).toEqual(Array.from(ref.spikes));
    expect(got.spikes.reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
    const eps = 1e-6;
    for (const [vv, uu, I] of [
      [-65, -13, 10],
      [-40, -5, 3],
      [10, 2, 0],
    ] as const) {
      const env = { v: vv, u: uu, I };
      for (const [i] of p.update.entries()) {
        for (const [j, name] of [...p.state, p.input].entries()) {
          const hi = at(p.update[i]!, { ...env, [name]: env[name as 'v'] + eps });
          const lo = at(p.update[i]!, { ...env, [name]: env[name as 'v'] - eps });
          const fd = (hi - lo) / (2 * eps);
          const sym = j < p.state.length ? at(p.updateJac[i]![j]!, env) : at(p.inputJac[i]!, env);
          expect(sym).toBeCloseTo(fd, 6);
        }
      }
    }
  });

  it('a refractory LIF holds its membrane and stays silent for the refractory steps', () => {
    const def: EquationNeuron = { ...lif(), refractory: { unit: 'steps', value: 2 } };
    const p = plan(def);
    expect(p.refractorySteps).toBe(2);
    const input = Array.from({ length: 30 }, () => 3);
    expect(runPlan(p, input).spikes).toEqual(Array.from(simulateNeuron(def, input).spikes));
  });

  it('has no plan for trainable scalars or per-neuron parameters', () => {
    expect(neuronKernelPlan({ ...lif(), trainable: [{ name: 'w', init: n(0) }] }).ok).toBe(false);
    expect(neuronKernelPlan({ ...lif(), perNeuron: ['tau'] }).ok).toBe(false);
  });

  it('lifts the numbers out: LIFs of any tau share one kernel shape; a change of structure does not', () => {
    const a = liftConstants(plan(lif({ tau: 2 })));
    const b = liftConstants(plan(lif({ tau: 5, threshold: 0.7 })));
    expect(a.key).toBe(b.key);
    expect(planHash(a.key)).toBe(planHash(b.key));
    expect(a.constants).not.toEqual(b.constants);
    expect(b.constants).toContain(0.2); // 1/tau
    expect(liftConstants(plan(lif({ resetValue: -0.25 }))).key).not.toBe(a.key);
    expect(liftConstants(plan(lif({ detachReset: true }))).key).not.toBe(a.key);
    expect(a.key).not.toContain('surrogate');
  });
});


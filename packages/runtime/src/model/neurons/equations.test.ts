import * as tf from '@tensorflow/tfjs-core';
import { builtinAsEquations, Random, simulateNeuron, type BuiltinNeuron, type EquationNeuron, type Expr } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildNeuron, neuronPlanFor } from '../layers/neuron.js';
import { generatedKernel } from '../../kernels/fused_neuron.js';
import { lifDef, neuronDef } from '../__tests__/models.js';
import { constant, runNeuron } from '../__tests__/run_neuron.js';
import { neuronConfigs } from '../../kernels/__tests__/neuron-configs.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

// Expression builders for hand-written IR (the runtime never depends on the compiler).
const n = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const op = (o: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'binary', op: o, left, right });

function eqNeuron(over: Partial<EquationNeuron>): EquationNeuron {
  return {
    kind: 'equations',
    name: 'n',
    definition: 'N',
    params: {},
    input: 'x',
    state: [{ name: 'v', init: n(0) }],
    scheme: 'discrete',
    dt: 1e-3,
    equations: [],
    spike: { left: v('v'), op: '>=', right: n(1) },
    reset: [{ target: 'v', value: n(0) }],
    refractory: null,
    surrogate: { kind: 'atan', alpha: 2 },
    detachReset: false,
    ...over,
  };
}

/** The library LIF as a definition: v += (x - (v - reset)) / tau; spike when v >= threshold { v = reset }. */
const lifEq = (tau = 2, reset = 0): EquationNeuron =>
  eqNeuron({
    params: { tau, reset, threshold: 1 },
    state: [{ name: 'v', init: v('reset') }],
    equations: [{ target: 'v', form: 'assign', rhs: op('+', v('v'), op('/', op('-', v('x'), op('-', v('v'), v('reset'))), v('tau'))) }],
    spike: { left: v('v'), op: '>=', right: v('threshold') },
    reset: [{ target: 'v', value: v('reset') }],
  });

const col = (m: number[][]) => m.map((r) => r[0]);

describe('equation neurons (composed tfjs ops from the IR)', () => {
  it('a LIF written as a definition equals the built-in LIF, spikes and membrane', () => {
    const rng = new Random(3);
    const xs = Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => rng.uniform() * 2));
    for (const [tau, reset] of [
      [2, 0],
      [3, -0.5],
    ] as const) {
      const a = runNeuron(lifEq(tau, reset), xs);
      const b = runNeuron(lifDef({ tau, resetValue: reset }), xs);
      expect(a.spikes).toEqual(b.spikes);
      a.membrane!.forEach((row, t) => row.forEach((h, i) => expect(h).toBeCloseTo(b.membrane![t]![i]!, 5)));
    }
    expect(col(runNeuron(lifEq(), constant(1.5, 6)).spikes)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('builtinAsEquations (what `snnc trace` runs) equals the built-in kernels: every configuration, ALIF and PLIF, forward and backward', () => {
    const rng = new Random(7);
    const xs = Array.from({ length: 10 }, () => Array.from({ length: 4 }, () => rng.uniform() * 1.6 - 0.1));
    const defs = [...neuronConfigs(), neuronDef('alif', { beta: 0.5, tauAdapt: 3 }), neuronDef('alif', { reset: 'soft', beta: 1, tauAdapt: 2 }), neuronDef('plif', { tau: 3 })] as BuiltinNeuron[];
    for (const def of defs) {
      const eq = builtinAsEquations(def);
      const a = runNeuron(eq, xs);
      const b = runNeuron(def, xs);
      expect(a.spikes).toEqual(b.spikes);
      a.membrane!.forEach((row, t) => row.forEach((h, i) => expect(h).toBeCloseTo(b.membrane![t]![i]!, 5)));
      // float64 simulation of one column agrees with the tensors
      const sim = simulateNeuron(eq, xs.map((r) => r[0]!));
      expect([...sim.spikes]).toEqual(col(b.spikes));
      // gradients of the spike count wrt the input agree (same surrogate, same reset path)
      const grad = (d: typeof def | EquationNeuron) => {
        const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [4], outShape: [4], neuron: d }, 'composed');
        const ctx = { training: true, rng: new Random(0), steps: 10, batch: 1, folded: true };
        return tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(layer.run(x, ctx, false).spikes))(tf.tensor2d(xs.flat(), [10, 4])).dataSync());
      };
      const ga = grad(eq);
      const gb = grad(def);
      ga.forEach((g, i) => expect(g).toBeCloseTo(gb[i]!, 4));
    }
  });

  it('an ALIF written as ordered discrete updates equals the built-in ALIF', () => {
    const keep = 1 - 1 / 2;
    const alif = eqNeuron({
      state: [
        { name: 'v', init: n(0) },
        { name: 'a', init: n(0) },
        { name: 'fired', init: n(0) },
      ],
      equations: [
        { target: 'a', form: 'assign', rhs: op('+', op('*', v('a'), n(keep)), v('fired')) },
        { target: 'fired', form: 'assign', rhs: n(0) },
        { target: 'v', form: 'assign', rhs: op('+', v('v'), op('/', op('-', v('x'), v('v')), n(2))) },
      ],
      spike: { left: v('v'), op: '>=', right: op('+', n(1), op('*', n(0.5), v('a'))) },
      reset: [
        { target: 'v', value: n(0) },
        { target: 'fired', value: n(1) },
      ],
    });
    const a = runNeuron(alif, constant(1.5, 8));
    const b = runNeuron(neuronDef('alif', { beta: 0.5, tauAdapt: 2 }), constant(1.5, 8));
    expect(a.spikes).toEqual(b.spikes);
  });

  it('matches the float64 scalar simulation of an Euler ODE neuron with a refractory period', () => {
    // quadratic integrate-and-fire: dv/dt = (v^2 - v + x) / 10ms, 0.5 ms steps
    const def = eqNeuron({
      scheme: 'euler',
      dt: 5e-4,
      params: { tau: 0.01 },
      equations: [{ target: 'v', form: 'ode', rhs: op('/', op('+', op('-', op('^', v('v'), n(2)), v('v')), v('x')), v('tau')) }],
      reset: [{ target: 'v', value: n(-0.2) }],
      refractory: { unit: 'steps', value: 3 },
    });
    const input = Array.from({ length: 400 }, (_, k) => 1 + 0.3 * Math.sin(k / 10));
    const ref = simulateNeuron(def, input);
    const got = runNeuron(def, input.map((x) => [x]));
    expect(col(got.spikes)).toEqual([...ref.spikes]);
    expect(ref.spikes.reduce((s, x) => s + x, 0)).toBeGreaterThan(2);
  });

  it('backpropagates through the definition: dL/dx matches a finite difference', () => {
    // detach_reset: below threshold the surrogate still feeds the reset's gradient, which a
    // finite difference of the (flat) forward pass cannot see
    const def = { ...lifEq(2), detachReset: true };
    const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [3], outShape: [3], neuron: def }, 'auto');
    expect(layer.path(true)).toBe('composed'); // membrane: composed ops from the equations
    const x0 = [0.2, 0.1, 0.3, 0.1, 0.2, 0.05, 0.3, 0.2, 0.1];
    const ctx = { training: true, rng: new Random(0), steps: 3, batch: 1, folded: true };
    const loss = (x: tf.Tensor) => tf.sum(tf.square(layer.run(x, ctx, true).membrane!)) as tf.Scalar;
    const g = tf.tidy(() => tf.grad(loss)(tf.tensor2d(x0, [3, 3])).arraySync() as number[][]);
    const at = (i: number, h: number) => tf.tidy(() => loss(tf.tensor2d(x0.map((x, k) => (k === i ? x + h : x)), [3, 3])).dataSync()[0]!);
    for (const i of [0, 4, 8]) {
      const fd = (at(i, 1e-3) - at(i, -1e-3)) / 2e-3;
      expect(g[Math.floor(i / 3)]![i % 3]!).toBeCloseTo(fd, 3);
    }
  });

  it('backpropagates through comparisons, if() and a refractory period without tape errors', () => {
    const cmp = (o: '>' | '<=', left: Expr, right: Expr): Expr => ({ kind: 'binary', op: o, left, right });
    const def = eqNeuron({
      scheme: 'euler',
      params: { tau: 0.005 },
      // dv/dt = (if(v > 0.5, x / 2, x) - v + (v <= 0.2) * 0.1) / tau
      equations: [
        {
          target: 'v',
          form: 'ode',
          rhs: op('/', op('+', op('-', { kind: 'call', fn: 'if', args: [cmp('>', v('v'), n(0.5)), op('/', v('x'), n(2)), v('x')] }, v('v')), op('*', cmp('<=', v('v'), n(0.2)), n(0.1))), v('tau')),
        },
      ],
      spike: { left: v('v'), op: '>', right: n(0.6) },
      refractory: { unit: 'steps', value: 2 },
    });
    const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [2], outShape: [2], neuron: def }, 'auto');
    const ctx = { training: true, rng: new Random(0), steps: 12, batch: 1, folded: true };
    const x = tf.fill([12, 2], 3);
    const g = tf.tidy(() => tf.grad((xx: tf.Tensor) => tf.sum(layer.run(xx, ctx, true).membrane!))(x).dataSync());
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(Array.from(g).some((d) => d !== 0)).toBe(true);
    x.dispose();
  });

  it('the built-ins and their definitions as equations share one generated kernel shape', () => {
    const defs = [...neuronConfigs(), neuronDef('lif', { tau: 3, resetValue: 0.25 }), neuronDef('lif', { decayInput: false, tau: 4 }), neuronDef('alif')] as BuiltinNeuron[];
    for (const def of defs) {
      const plans = neuronPlanFor(def)!;
      expect(plans.lifted.key).toBe(neuronPlanFor(builtinAsEquations(def))!.lifted.key);
    }
    // the report's LIF and the library LIF run on a kernel generated at build time
    expect(generatedKernel(neuronPlanFor(lifEq(2))!.lifted)).toBeDefined();
    expect(generatedKernel(neuronPlanFor(neuronDef('lif'))!.lifted)).toBeDefined();
    // PLIF's learned tau has no plan: composed ops
    expect(neuronPlanFor(neuronDef('plif'))).toBeNull();
  });

  it('plans continuous LIFs (Euler and exact steps) and nonlinear dynamics alike', () => {
    const ode = (scheme: 'euler' | 'exact') =>
      eqNeuron({ scheme, dt: 1e-3, params: { tau: 0.004 }, equations: [{ target: 'v', form: 'ode', rhs: op('/', op('-', v('x'), v('v')), v('tau')) }] });
    const jac = (def: EquationNeuron) => {
      const p = neuronPlanFor(def)!.plan;
      return [p.updateJac[0]![0]!, p.inputJac[0]!].map((e) => (e.kind === 'num' ? e.value : NaN));
    };
    expect(jac(ode('euler'))[0]).toBeCloseTo(0.75, 12); // 1 - dt / tau
    expect(jac(ode('euler'))[1]).toBeCloseTo(0.25, 12);
    expect(jac(ode('exact'))[0]).toBeCloseTo(Math.exp(-0.25), 12);
    expect(jac(ode('exact'))[1]).toBeCloseTo(1 - Math.exp(-0.25), 12);
    const quadratic = eqNeuron({ equations: [{ target: 'v', form: 'assign', rhs: op('+', v('v'), op('^', v('x'), n(2))) }] });
    expect(neuronPlanFor(quadratic)!.plan.backwardReadsInput).toBe(true); // d/dx = 2 x
    expect(neuronPlanFor({ ...ode('euler'), refractory: { unit: 'steps', value: 1 } })!.plan.refractorySteps).toBe(1);
  });

  it('a nonlinear definition without a generated kernel runs the plan\'s BPTT with the spikes and gradients of its composed ops', () => {
    const quadratic = eqNeuron({ equations: [{ target: 'v', form: 'assign', rhs: op('+', op('*', v('v'), n(0.7)), op('*', v('x'), v('x'))) }] });
    const T = 7;
    const rng = new Random(8);
    const xv = Array.from({ length: T * 6 }, () => rng.uniform(-0.2, 1.2));
    const rv = Array.from({ length: T * 6 }, () => rng.uniform(-1, 1));
    const run = (impl: 'bptt' | 'composed') =>
      tf.tidy(() => {
        const layer = buildNeuron({ kind: 'neuron', id: 'n', inShape: [6], outShape: [6], neuron: quadratic }, impl);
        const ctx = { training: true, rng: new Random(0), steps: T, batch: 1, folded: true };
        const x = tf.tensor2d(xv, [T, 6]);
        const r = tf.tensor2d(rv, [T, 6]);
        const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, ctx), r)))(x);
        return { s: Array.from(layer.apply(x, ctx).dataSync()), g: Array.from(g.dataSync()), path: layer.path(false) };
      });
    const a = run('bptt');
    const b = run('composed');
    expect(a.path).toBe('bptt');
    expect(a.s).toEqual(b.s);
    expect(a.s.some((s) => s === 1)).toBe(true);
    a.g.forEach((g, i) => expect(g).toBeCloseTo(b.g[i]!, 5));
  });

  it('a LIF definition runs on the fused kernel with the spikes of its composed ops', () => {
    const def = { ...lifEq(2), reset: [{ target: 'v', value: op('-', v('v'), v('threshold')) }] }; // soft reset
    const rng = new Random(5);
    const xs = Array.from({ length: 9 }, () => Array.from({ length: 6 }, () => rng.uniform() * 2));
    const fused = runNeuron(def, xs, 'fused');
    expect(fused.layer.path(false)).toBe('fused');
    expect(fused.spikes).toEqual(runNeuron(def, xs, 'composed').spikes);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { builtinAsEquations, liftConstants, neuronKernelPlan, Random, type BuiltinNeuron, type EquationNeuron, type Expr, type LiftedPlan, type NeuronDef, type Surrogate } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { readAll, useWebgpu } from '../../conformance/__tests__/webgpu.js';
import { neuronDef } from '../../model/__tests__/models.js';
import { equationStepper } from '../../model/neurons/equations.js';
import { loadBackend } from '../../node/backend/index.js';
import { fusedNeuron, fusedNeuronAvailable, fusedNeuronRuns, generatedKernel } from '../fused_neuron.js';
import { neuronConfigs } from '../__tests__/neuron-configs.js';

const detail = await useWebgpu();

/** One neuron layer under test: its equations, lifted plan and how its input is drawn. */
interface Case {
  def: EquationNeuron;
  lifted: LiftedPlan;
  /** Input range (the neuron's own units: Izhikevich takes currents of tens). */
  lo: number;
  hi: number;
}

function caseOf(def: EquationNeuron, lo = -0.5, hi = 2.5): Case {
  const r = neuronKernelPlan(def);
  if (!r.ok) throw new Error(`no kernel plan: ${r.reason}`);
  return { def, lifted: liftConstants(r.plan), lo, hi };
}

const builtin = (d: NeuronDef): EquationNeuron => builtinAsEquations(d as BuiltinNeuron);

interface Result {
  y: Float32Array;
  g: Float32Array;
  shape: number[];
  gShape: number[];
}

interface Layout {
  T: number;
  rows: number;
  feats: number;
  staticInput: boolean;
  seed: number;
}

/** x [T*rows, feats] time-major (or [rows, feats] static) and the weights r of the loss sum(y * r). */
function data(c: Case, l: Layout): { xv: Float32Array; rv: Float32Array; inRows: number } {
  const rng = new Random(l.seed);
  const inRows = l.staticInput ? l.rows : l.T * l.rows;
  const xv = Float32Array.from({ length: inRows * l.feats }, () => rng.uniform(c.lo, c.hi));
  const rv = Float32Array.from({ length: l.T * l.rows * l.feats }, () => rng.uniform(-1, 1));
  return { xv, rv, inRows };
}

/** Outputs and d(sum(y * r))/dx of `f` on the active backend. */
async function evaluate(f: (x: tf.Tensor) => tf.Tensor, c: Case, l: Layout): Promise<Result> {
  const { xv, rv, inRows } = data(c, l);
  const [y, g] = tf.tidy(() => {
    const x = tf.tensor2d(xv, [inRows, l.feats]);
    const r = tf.tensor2d(rv, [l.T * l.rows, l.feats]);
    return [f(x), tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(f(xi), r)))(x)];
  });
  const shape = y.shape;
  const gShape = g.shape;
  const [yv, gv] = await readAll([y, g]);
  return { y: yv!, g: gv!, shape, gShape };
}

const fused = (c: Case, l: Layout) => (x: tf.Tensor) => fusedNeuron(x, { lifted: c.lifted, steps: l.T, staticInput: l.staticInput, surrogate: c.def.surrogate });

/** The neuron as composed tfjs ops, one step at a time (model/neurons/equations.ts), autodiff for BPTT. */
const composed = (c: Case, l: Layout) => (x: tf.Tensor) => {
  const stepper = equationStepper(c.def);
  const ys: tf.Tensor[] = [];
  for (let t = 0; t < l.T; t++) ys.push(stepper.step(l.staticInput ? x : tf.slice(x, [t * l.rows, 0], [l.rows, l.feats])).spikes);
  return tf.concat(ys, 0);
};

/** The reference on the cpu backend: its generated JS kernel where there is one, else the composed ops. */
async function reference(c: Case, l: Layout): Promise<{ result: Result; by: 'cpu fused' | 'composed' }> {
  await loadBackend('cpu');
  try {
    const useFused = generatedKernel(c.lifted) !== undefined;
    return { result: await evaluate(useFused ? fused(c, l) : composed(c, l), c, l), by: useFused ? 'cpu fused' : 'composed' };
  } finally {
    await useWebgpu();
  }
}

/**
 * Spikes equal (the forward runs the same f32 operations in the same order; a GPU compiler may
 * still fuse a*b+c into one rounding, which moves a membrane by an ulp but, with these inputs,
 * no spike); a non-spiking neuron's membrane output to float32 rounding; gradients within
 * `tol` of the reference's scale (WGSL's backward runs in f32, the JS kernels' in f64).
 */
function expectClose(a: Result, b: Result, spiking: boolean, tol: number, fires: boolean): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.gShape).toEqual(b.gShape);
  if (spiking) {
    let flips = 0;
    for (let k = 0; k < a.y.length; k++) if (a.y[k] !== b.y[k]) flips++;
    expect(flips).toBe(0);
    if (fires) expect(a.y.some((v) => v === 1)).toBe(true);
  } else {
    for (let k = 0; k < a.y.length; k++) expect(Math.abs(a.y[k]! - b.y[k]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b.y[k]!)));
  }
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < a.g.length; k++) {
    scale = Math.max(scale, Math.abs(b.g[k]!));
    worst = Math.max(worst, Math.abs(a.g[k]! - b.g[k]!));
  }
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

/** The webgpu fused kernels against the reference; `fires`: the case must produce spikes. */
async function check(c: Case, l: Layout, tol = 4e-6, fires = false): Promise<'cpu fused' | 'composed'> {
  const gpu = await evaluate(fused(c, l), c, l);
  const ref = await reference(c, l);
  expectClose(gpu, ref.result, c.lifted.plan.spike !== null, tol, fires);
  if (l.staticInput) {
    expect(gpu.shape).toEqual([l.T * l.rows, l.feats]);
    expect(gpu.gShape).toEqual([l.rows, l.feats]);
  }
  return ref.by;
}

// ---------------------------------------------------------------------------------------
// Neurons built by hand, in the shapes of packages/dsl/stdlib/neurons.snn

const num = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const bin = (op: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const atan: Surrogate = { kind: 'atan', alpha: 2 };

function equations(over: Partial<EquationNeuron> & Pick<EquationNeuron, 'name' | 'params' | 'state' | 'equations' | 'spike' | 'reset'>): EquationNeuron {
  return { kind: 'equations', definition: over.name, input: 'x', scheme: 'discrete', dt: 1e-3, refractory: null, surrogate: atan, detachReset: false, ...over };
}

/** Izhikevich (2003), forward Euler at dt = 1 ms: dv/dt = (0.04 v^2 + 5 v + 140 - u + I) / ms. */
function izhikevich(surrogate: Surrogate = atan, detachReset = false): EquationNeuron {
  const ms = num(0.001);
  return equations({
    name: 'Izhikevich',
    params: { a: 0.02, b: 0.2, c: -65, d: 8, v_peak: 30 },
    input: 'I',
    state: [
      { name: 'v', init: { kind: 'unary', op: '-', arg: num(65) } },
      { name: 'u', init: bin('*', v('b'), v('v')) },
    ],
    scheme: 'euler',
    equations: [
      { target: 'v', form: 'ode', rhs: bin('/', bin('+', bin('-', bin('+', bin('+', bin('*', num(0.04), bin('^', v('v'), num(2))), bin('*', num(5), v('v'))), num(140)), v('u')), v('I')), ms) },
      { target: 'u', form: 'ode', rhs: bin('/', bin('*', v('a'), bin('-', bin('*', v('b'), v('v')), v('u'))), ms) },
    ],
    spike: { left: v('v'), op: '>=', right: v('v_peak') },
    reset: [
      { target: 'v', value: v('c') },
      { target: 'u', value: bin('+', v('u'), v('d')) },
    ],
    surrogate,
    detachReset,
  });
}

/** Leaky integrator (NIR LI): never fires, its output is v; `exact` or forward Euler. */
function leakyIntegrator(scheme: 'exact' | 'euler'): EquationNeuron {
  return equations({
    name: 'LI',
    params: { tau: 0.01, r: 1, v_leak: 0 },
    state: [{ name: 'v', init: v('v_leak') }],
    scheme,
    equations: [{ target: 'v', form: 'ode', rhs: bin('/', bin('+', bin('-', v('v_leak'), v('v')), bin('*', v('r'), v('x'))), v('tau')) }],
    spike: null,
    reset: [],
  });
}

/** SpikingJelly-style LIF (tau 2 steps) held at the reset for `steps` steps after each spike. */
function refractoryLif(steps: number, reset: 'hard' | 'soft'): EquationNeuron {
  return equations({
    name: 'LIFRefractorySteps',
    params: { tau: 2, threshold: 1, reset: 0 },
    state: [{ name: 'v', init: v('reset') }],
    equations: [{ target: 'v', form: 'assign', rhs: bin('+', v('v'), bin('/', bin('-', v('x'), bin('-', v('v'), v('reset'))), v('tau'))) }],
    spike: { left: v('v'), op: '>=', right: v('threshold') },
    reset: [{ target: 'v', value: reset === 'hard' ? v('reset') : bin('-', v('v'), v('threshold')) }],
    refractory: { unit: 'steps', value: steps },
  });
}

/** The library's LIFRefractory: exact propagator, tau 20 ms, refractory 2 ms (2 steps of 1 ms). */
function libraryRefractoryLif(): EquationNeuron {
  return equations({
    name: 'LIFRefractory',
    params: { tau: 0.02, tau_ref: 0.002, r: 1, v_rest: 0, threshold: 1, reset: 0 },
    state: [{ name: 'v', init: v('v_rest') }],
    scheme: 'exact',
    equations: [{ target: 'v', form: 'ode', rhs: bin('/', bin('+', bin('-', v('v_rest'), v('v')), bin('*', v('r'), v('x'))), v('tau')) }],
    spike: { left: v('v'), op: '>=', right: v('threshold') },
    reset: [{ target: 'v', value: v('reset') }],
    refractory: { unit: 'seconds', value: 0.002 },
  });
}

type Fn = Extract<Expr, { kind: 'call' }>['fn'];
const call = (fn: Fn, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
const op = (o: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op: o, left, right });

/**
 * A discrete neuron whose update uses every operator and function the emitter handles, each
 * scaled small so the state stays bounded; operands of `%` and of a non-square `^` are kept
 * positive, where JS (truncated `%`, Math.pow) and the composed tfjs ops (floor mod) agree, and
 * `abs` never reads the reset value 0 (its derivative there is sign(0) = 0 in the plan, -1 in
 * tfjs's autodiff).
 */
function expressionZoo(spiking: boolean): EquationNeuron {
  const x = v('x');
  const s = v('v');
  const ax = call('abs', x);
  const terms: Expr[] = [
    bin('*', s, num(0.5)),
    bin('*', call('where', op('||', op('&&', op('>', x, num(0.5)), { kind: 'unary', op: '!', arg: op('==', s, num(0.25)) }), op('!=', x, x)), x, { kind: 'unary', op: '-', arg: x }), num(0.3)),
    bin('*', call('clip', x, num(-1), num(1)), num(0.1)),
    bin('*', call('max', s, num(0.2), x), num(0.05)),
    bin('*', call('min', s, x), num(0.05)),
    bin('*', bin('^', ax, num(3)), num(0.01)),
    bin('*', bin('^', s, num(2)), num(0.02)),
    bin('*', call('sqrt', bin('+', ax, num(1))), num(0.02)),
    bin('*', call('exp', { kind: 'unary', op: '-', arg: call('abs', bin('-', s, num(0.3))) }), num(0.01)),
    bin('*', call('log', bin('+', ax, num(1))), num(0.01)),
    bin('*', call('tanh', x), num(0.1)),
    bin('*', op('%', ax, num(0.7)), num(0.01)),
    bin('*', call('sin', x), num(0.01)),
    bin('*', call('cos', s), num(0.01)),
    bin('*', call('tan', bin('*', x, num(0.1))), num(0.01)),
    bin('*', call('sign', x), num(0.01)),
    bin('*', call('floor', bin('*', x, num(2))), num(0.01)),
    bin('*', call('ceil', x), num(0.01)),
    bin('*', call('if', op('<=', x, num(1)), op('<', s, num(0.5)), op('>=', s, num(0.9))), num(0.01)),
    bin('/', x, num(3)),
  ];
  return equations({
    name: 'Zoo',
    params: {},
    state: [{ name: 'v', init: num(0) }],
    equations: [{ target: 'v', form: 'assign', rhs: terms.reduce((a, b) => bin('+', a, b)) }],
    spike: spiking ? { left: s, op: '>', right: num(1) } : null,
    reset: spiking ? [{ target: 'v', value: num(0) }] : [],
  });
}

// ---------------------------------------------------------------------------------------

describe.skipIf(detail === null)(`fused neuron as WGSL emitted from kernel plans (${detail ?? 'no webgpu'})`, () => {
  it('is registered for webgpu and takes any plan', async () => {
    await useWebgpu();
    expect(tf.getBackend()).toBe('webgpu');
    expect(fusedNeuronAvailable('webgpu')).toBe(true);
    expect(fusedNeuronRuns(caseOf(leakyIntegrator('euler')).lifted, 'webgpu')).toBe(true);
  });

  it.each(neuronConfigs().map((d, i) => [i, d] as const))('IF/LIF config %i: spikes equal, gradient to float32 rounding', async (i, def) => {
    await check(caseOf(builtin(def)), { T: 1 + (i % 6), rows: 4, feats: 16, staticInput: false, seed: 100 + i });
  });

  it.each(neuronConfigs().filter((_, i) => i % 4 === 0).map((d, i) => [i, d] as const))(
    'IF/LIF config %i with a static input: y [T*B, ...], gradient [B, ...] summed over T',
    async (i, def) => {
      await check(caseOf(builtin(def)), { T: 2 + i, rows: 6, feats: 4, staticInput: true, seed: 7 + i });
    },
  );

  it('covers many workgroups (n = 4100 neurons, not a multiple of 64) and T = 16', async () => {
    const c = caseOf(builtin(neuronDef('lif', { tau: 2, surrogate: { kind: 'atan', alpha: 2 } })));
    await check(c, { T: 16, rows: 41, feats: 100, staticInput: false, seed: 5 });
  });

  it('reuses the compiled pipelines for another tau and threshold (constants are uniforms)', async () => {
    await useWebgpu();
    const pipelines = () => Object.keys((tf.backend() as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache).length;
    const l: Layout = { T: 3, rows: 2, feats: 8, staticInput: false, seed: 3 };
    await evaluate(fused(caseOf(builtin(neuronDef('lif', { tau: 2 }))), l), caseOf(builtin(neuronDef('lif'))), l);
    const before = pipelines();
    const other = caseOf(builtin(neuronDef('lif', { tau: 3.5, threshold: 0.8 })));
    await check(other, { ...l, seed: 4 });
    expect(pipelines()).toBe(before);
  });

  it('ALIF (three states, an adapting threshold) equals the cpu kernels', async () => {
    const defs = [neuronDef('alif'), neuronDef('alif', { reset: 'soft', beta: 0.5, tauAdapt: 4 }), neuronDef('alif', { detachReset: true, decayInput: false })];
    for (const [i, def] of defs.entries()) {
      await check(caseOf(builtin(def)), { T: 3 + 2 * i, rows: 4, feats: 8, staticInput: false, seed: 40 + i }, 4e-6, true);
    }
  });

  // The upswing of v^2 amplifies an ulp of the membrane (a fused multiply-add in the GPU's
  // compiler) to ~1e-5 of it within a few steps, and the gradient is read at those membranes.
  it('Izhikevich (two states, v^2, forward Euler) equals the cpu kernels', async () => {
    for (const [i, def] of [izhikevich(), izhikevich({ kind: 'sigmoid', alpha: 4 }, true)].entries()) {
      const c = caseOf(def, 0, 40);
      await check(c, { T: 12, rows: 4, feats: 8, staticInput: false, seed: 60 + i }, 1e-3, true);
      await check(c, { T: 9, rows: 3, feats: 5, staticInput: true, seed: 70 + i }, 1e-3, true);
    }
  });

  it('a non-spiking leaky integrator outputs its membrane (exact: cpu kernels; Euler: composed ops)', async () => {
    await check(caseOf(leakyIntegrator('exact'), -1, 1), { T: 7, rows: 4, feats: 8, staticInput: false, seed: 80 });
    expect(await check(caseOf(leakyIntegrator('euler'), -1, 1), { T: 7, rows: 4, feats: 8, staticInput: true, seed: 81 })).toBe('composed');
  });

  it('a refractory period holds the membrane and blocks spikes (steps: composed ops; library: cpu kernels)', async () => {
    for (const [i, def] of [refractoryLif(2, 'hard'), refractoryLif(3, 'soft')].entries()) {
      expect(await check(caseOf(def), { T: 10, rows: 4, feats: 8, staticInput: false, seed: 90 + i }, 4e-6, true)).toBe('composed');
      expect(await check(caseOf(def), { T: 8, rows: 3, feats: 4, staticInput: true, seed: 95 + i }, 4e-6, true)).toBe('composed');
    }
    await check(caseOf(libraryRefractoryLif(), 0, 60), { T: 10, rows: 4, feats: 8, staticInput: false, seed: 99 }, 4e-6, true);
  });

  // WGSL's exp/log/tanh/... may differ from JS's by an ulp: gradients to 1e-5 of their scale
  it('emits every operator and function (a discrete update using all of them, against composed ops)', async () => {
    expect(await check(caseOf(expressionZoo(false), -2, 2), { T: 6, rows: 4, feats: 8, staticInput: false, seed: 120 }, 1e-5)).toBe('composed');
    expect(await check(caseOf(expressionZoo(true), 0, 2.5), { T: 6, rows: 4, feats: 8, staticInput: false, seed: 121 }, 1e-5, true)).toBe('composed');
  });

  it('does not leak tensors', async () => {
    await useWebgpu();
    const c = caseOf(refractoryLif(2, 'hard'));
    const l: Layout = { T: 4, rows: 4, feats: 8, staticInput: false, seed: 1 };
    await evaluate(fused(c, l), c, l);
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await evaluate(fused(c, l), c, { ...l, seed: k });
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

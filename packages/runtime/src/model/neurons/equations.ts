import * as tf from '@tensorflow/tfjs-core';
import { assertNever, literalValue, neuronStep, reciprocals, resetDeltas, type EquationNeuron, type Expr, type NeuronStepProgram } from '@snnc/ir';
import { detach, spikeFunction } from '../surrogate.js';

/**
 * A neuron from its `.snn` definition, as composed tfjs ops built from the IR's expression
 * trees, so autodiff gives BPTT through any definition. The step program (Euler, exact
 * propagator or discrete updates, parameters substituted) comes from @snnc/ir's
 * `neuronStep`, the same one `snnc trace` simulates in float64.
 */

type Value = tf.Tensor | number;

/** Evaluates an expression tree on tensors; constants stay JS numbers so they fold. */
export function exprToTensor(e: Expr, env: ReadonlyMap<string, Value>, shape: readonly number[]): Value {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'var': {
      const v = env.get(e.name);
      if (v === undefined) throw new Error(`equation neuron: expected a value for \`${e.name}\``);
      return v;
    }
    case 'index':
      throw new Error('equation neuron: indexing is not part of neuron equations');
    case 'unary': {
      const a = exprToTensor(e.arg, env, shape);
      const op = e.op;
      switch (op) {
        case '-':
          return typeof a === 'number' ? -a : tf.neg(a);
        case '+':
          return a;
        case '!':
          return typeof a === 'number' ? (a === 0 ? 1 : 0) : indicator(tf.equal, a, 0);
        default:
          return assertNever(op);
      }
    }
    case 'binary':
      return binary(e.op, exprToTensor(e.left, env, shape), exprToTensor(e.right, env, shape), shape);
    case 'call':
      return callFn(e, env, shape);
    default:
      return assertNever(e);
  }
}

const asTensor = (v: Value, shape: readonly number[]): tf.Tensor => (typeof v === 'number' ? tf.fill(shape as number[], v) : v);
const asOperand = (v: Value): tf.Tensor => (typeof v === 'number' ? tf.scalar(v) : v);

type Test = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * 0/1 of a comparison or logic op, with a zero gradient: the comparison runs inside a custom
 * gradient so the tape never records the boolean ops (tfjs has no gradient for them), the same
 * way the spike's Heaviside step is recorded (surrogate.ts).
 */
function indicator(test: Test, a: Value, b: Value): tf.Tensor {
  const f = tf.customGrad((x, y) => {
    const xt = x as tf.Tensor;
    const yt = y as tf.Tensor;
    return { value: tf.cast(test(xt, yt), 'float32'), gradFunc: () => [tf.zerosLike(xt), tf.zerosLike(yt)] };
  });
  return f(asOperand(a), asOperand(b));
}

const bool = (v: tf.Tensor): tf.Tensor => tf.notEqual(v, 0);

/** A `where` condition from a comparison, through `indicator`, so no boolean op is on the tape. */
const condition = (test: Test, a: Value, b: Value): tf.Tensor => tf.cast(indicator(test, a, b), 'bool');
const truthy = (v: Value, shape: readonly number[]): tf.Tensor => condition(tf.notEqual, asTensor(v, shape), 0);

function binary(op: Extract<Expr, { kind: 'binary' }>['op'], a: Value, b: Value, shape: readonly number[]): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '^':
        return Math.pow(a, b);
      default:
        break; // comparisons of constants: let the tensor path below handle them uniformly
    }
  }
  // identities that are exact in float32 skip an op (the first step of a LIF from v = 0)
  if (op === '+' && (a === 0 || b === 0)) return a === 0 ? b : a;
  if (op === '-' && b === 0) return a;
  if (op === '-' && a === 0 && typeof b !== 'number') return tf.neg(b);
  if ((op === '*' || op === '/') && b === 1) return a;
  if (op === '*' && a === 1) return b;
  switch (op) {
    case '+':
      return tf.add(a, b);
    case '-':
      return tf.sub(a, b);
    case '*':
      return tf.mul(a, b);
    case '/':
      return tf.div(a, b);
    case '^':
      return b === 2 ? tf.square(asTensor(a, shape)) : tf.pow(asTensor(a, shape), b);
    case '%':
      return tf.mod(asTensor(a, shape), b);
    case '<':
      return indicator(tf.less, a, b);
    case '<=':
      return indicator(tf.lessEqual, a, b);
    case '>':
      return indicator(tf.greater, a, b);
    case '>=':
      return indicator(tf.greaterEqual, a, b);
    case '==':
      return indicator(tf.equal, a, b);
    case '!=':
      return indicator(tf.notEqual, a, b);
    case '&&':
      return indicator((x, y) => tf.logicalAnd(bool(x), bool(y)), a, b);
    case '||':
      return indicator((x, y) => tf.logicalOr(bool(x), bool(y)), a, b);
    default:
      return assertNever(op);
  }
}

function callFn(e: Extract<Expr, { kind: 'call' }>, env: ReadonlyMap<string, Value>, shape: readonly number[]): Value {
  const args = e.args.map((a) => exprToTensor(a, env, shape));
  const t0 = () => asTensor(args[0]!, shape);
  switch (e.fn) {
    case 'sin':
      return tf.sin(t0());
    case 'cos':
      return tf.cos(t0());
    case 'tan':
      return tf.tan(t0());
    case 'exp':
      return tf.exp(t0());
    case 'log':
      return tf.log(t0());
    case 'tanh':
      return tf.tanh(t0());
    case 'abs':
      return tf.abs(t0());
    case 'sqrt':
      return tf.sqrt(t0());
    case 'sign':
      return tf.sign(t0());
    case 'floor':
      return tf.floor(t0());
    case 'ceil':
      return tf.ceil(t0());
    case 'min':
    case 'max':
      return args.slice(1).reduce<tf.Tensor>((m, v) => (e.fn === 'min' ? tf.minimum(m, v) : tf.maximum(m, v)), t0());
    case 'if':
    case 'where':
      return tf.where(truthy(args[0]!, shape), asTensor(args[1]!, shape), asTensor(args[2]!, shape));
    case 'clip':
      return tf.minimum(tf.maximum(t0(), args[1]!), args[2]!);
    default:
      return assertNever(e.fn);
  }
}

/** One time step at a time, the state kept between calls (the shape of the runtime's neuron steppers). */
export interface EquationStepper {
  /** x: [B, ...] this step's input. Returns S[t] (or v for non-spiking neurons) and v before the reset. */
  step(x: tf.Tensor): { spikes: tf.Tensor; membrane: tf.Tensor };
}

/**
 * The step program of `def`, or an Error naming why there is none (never for compiler output).
 * Division by a constant runs as multiplication by its reciprocal, as in the kernels
 * (@snnc/ir `reciprocals`), so the composed ops and the kernels compute the same float32 values.
 */
export function stepProgram(def: EquationNeuron, keepTrainable = false): NeuronStepProgram {
  const r = neuronStep(def, def.dt, keepTrainable);
  if (!r.ok) throw new Error(`neuron \`${def.name}\`: ${r.reason}`);
  const p = r.program;
  return {
    ...p,
    updates: p.updates.map((u) => ({ target: u.target, rhs: reciprocals(u.rhs) })),
    spike: p.spike && { left: reciprocals(p.spike.left), op: p.spike.op, right: reciprocals(p.spike.right) },
    reset: p.reset.map((a) => ({ target: a.target, value: reciprocals(a.value) })),
  };
}

/**
 * A fresh sequence of `def`, one step per call: update -> fire -> reset, state kept between
 * calls. `membrane` is the first state variable after the update and before the reset (H);
 * a non-spiking neuron outputs it as its `spikes`.
 */
export function equationStepper(
  def: EquationNeuron,
  prog: NeuronStepProgram = stepProgram(def),
  learned: ReadonlyMap<string, tf.Tensor> = new Map(),
  /** Initial states that differ per neuron (per-neuron parameters), shaped like one sample's units. */
  initial: ReadonlyMap<string, tf.Tensor> = new Map(),
): EquationStepper {
  const spike = spikeFunction(def.surrogate);
  // z = h - s delta(h), the reset of the kernels (@snnc/ir `resetDeltas`)
  const names = def.state.map((s) => s.name);
  const deltas = resetDeltas(names, prog.reset)
    .map((delta, i) => ({ target: names[i]!, delta }))
    .filter((d) => literalValue(d.delta) !== 0);
  const state = new Map<string, Value>();
  let refractory: tf.Tensor | null = null;
  return {
    step(x: tf.Tensor) {
      const shape = x.shape;
      if (state.size === 0) {
        for (const s of prog.init) {
          const own = initial.get(s.name);
          state.set(s.name, own ? tf.broadcastTo(own, shape as number[]) : s.value);
        }
      }
      const env = new Map<string, Value>([...learned, ...state]);
      env.set(def.input, x);
      const held = state.get(prog.membrane)!;
      if (prog.sequential) {
        for (const u of prog.updates) env.set(u.target, exprToTensor(u.rhs, env, shape));
      } else {
        const next = prog.updates.map((u) => [u.target, exprToTensor(u.rhs, env, shape)] as const);
        for (const [t, v] of next) env.set(t, v);
      }
      const blocked = refractory && condition(tf.greater, refractory, 0);
      if (blocked) env.set(prog.membrane, tf.where(blocked, asTensor(held, shape), asTensor(env.get(prog.membrane)!, shape)));
      const membrane = asTensor(env.get(prog.membrane)!, shape);
      let out: tf.Tensor;
      if (prog.spike) {
        const diff = tf.sub(asTensor(exprToTensor(prog.spike.left, env, shape), shape), exprToTensor(prog.spike.right, env, shape));
        // `>`: fire only strictly above, H(0) = 0; the surrogate still sees x = left - right
        let s = prog.spike.op === '>=' ? spike(diff) : tf.sub(spike(diff), indicator(tf.equal, diff, 0));
        // no spike while refractory (the condition of a `where` gets no gradient)
        if (blocked) s = tf.where(blocked, tf.zerosLike(s), s);
        const sr = def.detachReset ? detach(s) : s;
        // every delta reads the state before the reset
        const after = deltas.map((d) => [d.target, tf.sub(asTensor(env.get(d.target)!, shape), tf.mul(sr, exprToTensor(d.delta, env, shape)))] as const);
        for (const [target, value] of after) env.set(target, value);
        if (prog.refractorySteps > 0) {
          const fired = condition(tf.greater, s, 0);
          const left = refractory ? tf.relu(tf.sub(refractory, 1)) : tf.zeros(shape as number[]);
          refractory = tf.where(fired, tf.fill(shape as number[], prog.refractorySteps), left);
        }
        out = s;
      } else out = membrane;
      for (const name of state.keys()) state.set(name, env.get(name)!);
      return { spikes: out, membrane };
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { assertNever, SnncError, type EquationNeuron, type Expr, type NeuronStepProgram } from '@snnc/ir';
import { stepProgram } from './equations.js';

/**
 * The step program of a neuron layer whose parameters differ per neuron (`tau: per_neuron`,
 * values from the weights file), for the composed ops. Each distinct parameter tuple gets its
 * own program from @snnc/ir's `neuronStep` (an exact propagator is numeric, so it is computed
 * per tuple), and the programs are zipped: a number that differs between neurons becomes a
 * variable `__per_neuron_<k>` bound to a tensor of the layer's units. Programs of different
 * forms (a term that simplifies away for some neurons only) are selected per neuron by masks.
 * A value that is not finite, or a tuple with no step program (dynamics not linear for
 * `integrate exact` with that neuron's values), is SNN7600.
 */
export interface PerNeuronProgram {
  program: NeuronStepProgram;
  /** The zipped constants, each shaped like one sample's units (runtime layout). */
  constants: Map<string, tf.Tensor>;
  /** Initial states that differ per neuron, shaped like the units. */
  initial: Map<string, tf.Tensor>;
}

export function perNeuronProgram(id: string, def: EquationNeuron, values: ReadonlyMap<string, Float32Array>, units: readonly number[]): PerNeuronProgram {
  const n = units.reduce((a, b) => a * b, 1);
  const names = [...values.keys()];
  // Distinct parameter tuples, and which tuple each neuron has.
  const tupleOf = new Int32Array(n);
  const index = new Map<string, number>();
  const programs: NeuronStepProgram[] = [];
  for (let i = 0; i < n; i++) {
    const own = names.map((k) => values.get(k)![i]!);
    const bad = own.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new SnncError('SNN7600', { layer: id, reason: `neuron ${i} has \`${names[bad]}\` = ${own[bad]}; per-neuron parameters must be finite` });
    const key = own.join(',');
    let t = index.get(key);
    if (t === undefined) {
      t = programs.length;
      index.set(key, t);
      const params = { ...def.params, ...Object.fromEntries(names.map((k, j) => [k, own[j]!])) };
      try {
        programs.push(stepProgram({ ...def, params }, (def.trainable?.length ?? 0) > 0));
      } catch (e) {
        throw new SnncError('SNN7600', { layer: id, reason: `neuron ${i}: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    tupleOf[i] = t;
  }
  const constants = new Map<string, tf.Tensor>();
  /** A tensor of the units: neuron i gets `pick` of its tuple's program, or of `members[0]` when its tuple is not a member. */
  const perNeuron = (pick: (p: NeuronStepProgram) => number, members: readonly number[] = programs.map((_, k) => k)): tf.Tensor => {
    const inside = new Set(members);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = pick(programs[inside.has(tupleOf[i]!) ? tupleOf[i]! : members[0]!]!);
    return tf.keep(tf.tensor(data, [...units]));
  };
  const constant = (t: tf.Tensor): Expr => {
    const name = `__per_neuron_${constants.size}`;
    constants.set(name, t);
    return { kind: 'var', name };
  };
  /** One expression of the member programs, all of one form, zipped. */
  const zipForm = (at: (p: NeuronStepProgram) => Expr, members: readonly number[]): Expr => {
    const walk = (get: (p: NeuronStepProgram) => Expr): Expr => {
      const first = get(programs[members[0]!]!);
      switch (first.kind) {
        case 'num': {
          const vals = members.map((k) => (get(programs[k]!) as typeof first).value);
          return vals.every((v) => v === vals[0]) ? first : constant(perNeuron((p) => (get(p) as typeof first).value, members));
        }
        case 'var':
          return first;
        case 'index':
          return { ...first, target: walk((p) => (get(p) as typeof first).target) };
        case 'unary':
          return { ...first, arg: walk((p) => (get(p) as typeof first).arg) };
        case 'binary':
          return { ...first, left: walk((p) => (get(p) as typeof first).left), right: walk((p) => (get(p) as typeof first).right) };
        case 'call':
          return { ...first, args: first.args.map((_, j) => walk((p) => (get(p) as typeof first).args[j]!)) };
        default:
          return assertNever(first);
      }
    };
    return walk(at);
  };
  /**
   * One expression of every program, zipped. Programs usually share one form; where
   * simplification made them differ (a term that is 0 for some neurons only), each form is
   * zipped on its own and selected per neuron by a 0/1 mask: sum over forms of mask * form.
   */
  const zip = (at: (p: NeuronStepProgram) => Expr): Expr => {
    const forms = new Map<string, number[]>();
    programs.forEach((p, k) => {
      const key = formOf(at(p));
      forms.set(key, [...(forms.get(key) ?? []), k]);
    });
    const groups = [...forms.values()];
    if (groups.length === 1) return zipForm(at, groups[0]!);
    return groups
      .map((members): Expr => {
        const inside = new Set(members);
        const mask = new Float32Array(n);
        for (let i = 0; i < n; i++) mask[i] = inside.has(tupleOf[i]!) ? 1 : 0;
        return { kind: 'binary', op: '*', left: constant(tf.keep(tf.tensor(mask, [...units]))), right: zipForm(at, members) };
      })
      .reduce((sum, e) => ({ kind: 'binary', op: '+', left: sum, right: e }));
  };
  const p0 = programs[0]!;
  const program: NeuronStepProgram = {
    ...p0,
    updates: p0.updates.map((u, j) => ({ target: u.target, rhs: zip((p) => p.updates[j]!.rhs) })),
    spike: p0.spike && { left: zip((p) => p.spike!.left), op: p0.spike.op, right: zip((p) => p.spike!.right) },
    reset: p0.reset.map((r, j) => ({ target: r.target, value: zip((p) => p.reset[j]!.value) })),
  };
  const initial = new Map<string, tf.Tensor>();
  p0.init.forEach((s, j) => {
    if (programs.some((p) => p.init[j]!.value !== s.value)) initial.set(s.name, perNeuron((p) => p.init[j]!.value));
  });
  return { program, constants, initial };
}

/** An expression's form: its tree with every number replaced by `#`. */
function formOf(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return '#';
    case 'var':
      return e.name;
    case 'index':
      return `${formOf(e.target)}[${e.index}]`;
    case 'unary':
      return `(${e.op}${formOf(e.arg)})`;
    case 'binary':
      return `(${formOf(e.left)}${e.op}${formOf(e.right)})`;
    case 'call':
      return `${e.fn}(${e.args.map(formOf).join(',')})`;
    default:
      return assertNever(e);
  }
}

/** Frees the tensors of a program made by {@link perNeuronProgram}. */
export function disposePerNeuron(p: PerNeuronProgram): void {
  tf.dispose([...p.constants.values(), ...p.initial.values()]);
}

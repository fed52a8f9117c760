import * as tf from '@tensorflow/tfjs-core';
import { trainableInits, type EquationNeuron, type NeuronStepProgram } from '@snnc/ir';
import { makeVariable } from '../init.js';
import type { ForwardContext } from '../context.js';
import { neuronPlanFor, runPlanned, type NeuronImpl, type NeuronRuntime } from '../layers/neuron.js';
import { equationStepper, stepProgram } from './equations.js';
import { disposePerNeuron, perNeuronProgram, type PerNeuronProgram } from './per-neuron.js';
import { selectPath } from './path.js';
import type { SequenceResult } from './sequence.js';

/**
 * The neuron layer of a definition-made neuron. Its kernel plan (@snnc/ir `neuronKernelPlan`)
 * runs on the fused kernels generated from it (cpu/wasm, where its shape was generated; webgpu)
 * or on the plan's tfjs-ops BPTT; membrane decoding, trainable scalars and per-neuron parameters
 * run the composed ops built from its equations.
 * Its weights are the definition's `trainable` scalars (PLIF's w), learned through the composed ops,
 * and its `per_neuron` parameters (fixed tensors of the layer's units, see per-neuron.ts).
 */
export function buildEquationNeuron(id: string, def: EquationNeuron, impl: NeuronImpl = 'auto', units: readonly number[] = []): NeuronRuntime {
  const plans = neuronPlanFor(def);
  // trainable scalars (`trainable w = ...`): one variable per layer, read by the expressions
  const start = trainableInits(def);
  const trainable: Record<string, tf.Variable> = Object.fromEntries(Object.entries(start).map(([name, v]) => [name, makeVariable(tf.scalar(v), true)]));
  // per-neuron parameters (`tau: per_neuron`): fixed tensors of the layer's units, loaded from
  // the weights file; seeded with the definition's default
  const fixed: Record<string, tf.Variable> = Object.fromEntries((def.perNeuron ?? []).map((name) => [name, makeVariable(tf.fill([...units], def.params[name]!), false)]));
  const weights: Record<string, tf.Variable> = { ...trainable, ...fixed };
  const learned = new Map<string, tf.Tensor>(Object.entries(trainable));
  const perNeuron = Object.keys(fixed).length > 0;
  const scalarProg = perNeuron ? null : stepProgram(def, learned.size > 0);
  // The zipped program of the current per-neuron values, rebuilt when they change (a load).
  let cached: { values: Map<string, Float32Array>; made: PerNeuronProgram } | null = null;
  const current = (): { prog: NeuronStepProgram; env: ReadonlyMap<string, tf.Tensor>; initial: ReadonlyMap<string, tf.Tensor> } => {
    if (scalarProg) return { prog: scalarProg, env: learned, initial: new Map() };
    const values = new Map(Object.entries(fixed).map(([k, v]) => [k, v.dataSync() as Float32Array]));
    const same = cached !== null && [...values].every(([k, v]) => { const was = cached!.values.get(k)!; return v.every((x, i) => x === was[i]); });
    if (!same) {
      if (cached) disposePerNeuron(cached.made);
      cached = { values: new Map([...values].map(([k, v]) => [k, Float32Array.from(v)])), made: perNeuronProgram(id, def, values, units) };
    }
    const made = cached!.made;
    return { prog: made.program, env: new Map([...learned, ...made.constants]), initial: made.initial };
  };
  const path = (wantMembrane: boolean) => selectPath(impl, wantMembrane, plans?.lifted ?? null, id, `neuron \`${def.definition}\``);
  const run = (x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult => {
    const T = ctx.steps;
    const p = path(wantMembrane);
    if (p !== 'composed' && plans !== null) return runPlanned(plans, def, x, ctx, p);
    const rows = ctx.folded ? x.shape[0]! / T : x.shape[0]!;
    if (!Number.isInteger(rows)) throw new Error(`${id}: expected a leading axis divisible by T=${T}, got shape [${x.shape.join(', ')}]`);
    // a static input (direct encoding) is the same frame at every step
    const xs = ctx.folded ? (T === 1 ? [x] : tf.split(x, T, 0)) : Array.from({ length: T }, () => x);
    const { prog, env, initial } = current();
    const stepper = equationStepper(def, prog, env, initial);
    const spikes: tf.Tensor[] = [];
    const membrane: tf.Tensor[] = [];
    for (const xt of xs) {
      const r = stepper.step(xt);
      spikes.push(r.spikes);
      if (wantMembrane) membrane.push(r.membrane);
    }
    const result: SequenceResult = { spikes: T === 1 ? spikes[0]! : tf.concat(spikes, 0) };
    if (wantMembrane) result.membrane = T === 1 ? membrane[0]! : tf.concat(membrane, 0);
    return result;
  };
  return {
    id,
    def,
    weights,
    trainable: Object.values(trainable),
    run,
    stepper: () => {
      const { prog, env, initial } = current();
      return equationStepper(def, prog, env, initial);
    },
    usesFused: (wantMembrane) => path(wantMembrane) === 'fused',
    path,
    apply: (x, ctx) => run(x, ctx, false).spikes,
  };
}

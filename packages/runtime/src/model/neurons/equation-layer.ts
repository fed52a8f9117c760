import * as tf from '@tensorflow/tfjs-core';
import { trainableInits, type EquationNeuron } from '@snnc/ir';
import { makeVariable } from '../init.js';
import { fusedNeuron } from '../../kernels/fused_neuron.js';
import { bpttNeuron } from '../../kernels/neuron_bptt.js';
import type { ForwardContext } from '../context.js';
import { fusedConfigFor, type NeuronImpl, type NeuronRuntime } from '../layers/neuron.js';
import { equationStepper, stepProgram } from './equations.js';
import { selectPath } from './path.js';
import type { SequenceResult } from './sequence.js';

/**
 * The neuron layer of a definition-made neuron. A definition whose step has the IF/LIF shape
 * (recognised symbolically by @snnc/ir `recogniseLinearNeuron`: a user's own leaky neuron, the
 * library LIF written as equations) runs on the fused and BPTT kernels like the built-ins;
 * every other one, and membrane decoding, runs the composed ops built from its equations.
 * Its weights are the definition's `trainable` scalars (PLIF's w), learned through the composed ops.
 */
export function buildEquationNeuron(id: string, def: EquationNeuron, impl: NeuronImpl = 'auto', linear = false): NeuronRuntime {
  // trainable scalars (`trainable w = ...`): one variable per layer, read by the expressions
  const start = trainableInits(def);
  const weights: Record<string, tf.Variable> = Object.fromEntries(Object.entries(start).map(([name, v]) => [name, makeVariable(tf.scalar(v), true)]));
  const learned = new Map<string, tf.Tensor>(Object.entries(weights));
  const prog = stepProgram(def, learned.size > 0);
  const path = (wantMembrane: boolean) => selectPath(impl, wantMembrane, linear, id, `neuron \`${def.definition}\``);
  const run = (x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult => {
    const T = ctx.steps;
    const p = path(wantMembrane);
    const cfg = p === 'composed' ? null : fusedConfigFor(def, T);
    if (cfg !== null) {
      const full = { ...cfg, staticInput: !ctx.folded };
      return { spikes: p === 'fused' ? fusedNeuron(x, full) : bpttNeuron(x, full) };
    }
    const rows = ctx.folded ? x.shape[0]! / T : x.shape[0]!;
    if (!Number.isInteger(rows)) throw new Error(`${id}: expected a leading axis divisible by T=${T}, got shape [${x.shape.join(', ')}]`);
    // a static input (direct encoding) is the same frame at every step
    const xs = ctx.folded ? (T === 1 ? [x] : tf.split(x, T, 0)) : Array.from({ length: T }, () => x);
    const stepper = equationStepper(def, prog, learned);
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
    trainable: Object.values(weights),
    run,
    stepper: () => equationStepper(def, prog, learned),
    usesFused: (wantMembrane) => path(wantMembrane) === 'fused',
    path,
    apply: (x, ctx) => run(x, ctx, false).spikes,
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { EquationNeuron } from '@snnc/ir';
import type { ForwardContext } from '../context.js';
import type { NeuronRuntime } from '../layers/neuron.js';
import { equationStepper, stepProgram } from './equations.js';
import type { SequenceResult } from './sequence.js';

/**
 * The neuron layer of a definition-made neuron: always the composed path (the fused and
 * hand-written BPTT kernels exist only for the built-in IF/LIF). No trainable weights.
 */
export function buildEquationNeuron(id: string, def: EquationNeuron): NeuronRuntime {
  const prog = stepProgram(def);
  const run = (x: tf.Tensor, ctx: ForwardContext, wantMembrane: boolean): SequenceResult => {
    const T = ctx.steps;
    const rows = ctx.folded ? x.shape[0]! / T : x.shape[0]!;
    if (!Number.isInteger(rows)) throw new Error(`${id}: expected a leading axis divisible by T=${T}, got shape [${x.shape.join(', ')}]`);
    const xs = !ctx.folded ? Array.from({ length: T }, () => x) : T === 1 ? [x] : tf.split(x, T, 0);
    const stepper = equationStepper(def, prog);
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
    weights: {},
    trainable: [],
    run,
    stepper: () => equationStepper(def, prog),
    usesFused: () => false,
    path: () => 'composed',
    apply: (x, ctx) => run(x, ctx, false).spikes,
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { modelOutputLayer, type Model } from '@snnc/ir';
import { assertGradientsRegistered } from '../kernels/gradients.js';
import { decode } from './decoder.js';
import { encode, encodeSequence } from './encoder.js';
import type { GraphPlan } from './graph-plan.js';
import { runPlan, type RunHooks } from './graph-run.js';
import { repeatSteps } from './layers/neuron.js';
import { toRuntimeShape } from './layout.js';
import type { ForwardOptions } from './network.js';

/** What a trace adds to a forward pass: a neuron hook, and every neuron layer's membrane. */
export type RunExtras = Pick<RunHooks, 'neuron'> & { membranes?: 'all' };

/** The forward pass: encode, run the plan, decode, inside one tidy scope. */
export type RunForward = (x: tf.Tensor, fopts: ForwardOptions, extra?: RunExtras) => tf.Tensor;

/**
 * Makes the forward pass of `model` over its built `plan`. It checks the input's shape (and
 * refuses once `isDisposed`), then runs inside one tidy scope; the hooks see nodes and neuron
 * layers as they run.
 */
export function makeForward(model: Model, plan: GraphPlan, isDisposed: () => boolean): RunForward {
  const inputShape = toRuntimeShape(model.input);
  const T = model.steps;
  const output = modelOutputLayer(model);
  return (x, fopts, extra) => {
    if (isDisposed()) throw new Error(`network ${model.name}: used after dispose()`);
    const sample = x.shape.slice(1);
    if (x.rank !== inputShape.length + 1 || sample.some((d, i) => d !== inputShape[i])) {
      throw new Error(`network ${model.name}: expected input [${fopts.timeMajor ? 'T*B' : 'B'}, ${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    if (fopts.timeMajor && x.shape[0]! % T !== 0) {
      throw new Error(`network ${model.name}: a time-major input needs T*B rows with T=${T}, got [${x.shape.join(', ')}]`);
    }
    if (fopts.training) assertGradientsRegistered();
    const B = fopts.timeMajor ? x.shape[0]! / T : x.shape[0]!;
    return tf.tidy(() => {
      const x32 = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
      const enc = fopts.timeMajor ? encodeSequence(model.encoder, x32, fopts.rng) : encode(model.encoder, x32, T, fopts.rng);
      const wantOutMembrane = model.decoder.kind === 'membrane' && output.kind === 'neuron';
      const membranes = new Set<string>(extra?.membranes === 'all' ? model.layers.filter((l) => l.kind === 'neuron').map((l) => l.id) : []);
      if (wantOutMembrane) membranes.add(output.id);
      const probe = fopts.probe;
      const hooks: RunHooks = { membranes };
      if (probe) hooks.layer = (layer, input, out, folded) => probe.layer(layer, input, out, folded);
      if (extra?.neuron) hooks.neuron = extra.neuron;
      const r = runPlan(plan, { t: enc.x, folded: enc.folded }, { training: fopts.training, rng: fopts.rng, steps: T, batch: B }, hooks);
      const out = r.values.get(plan.outputId)!;
      // A model without neurons (the compiler rejects it, SNN4005) can end static.
      const h = out.folded ? out.t : repeatSteps(out.t, T);
      return decode(model.decoder, h, T, wantOutMembrane ? r.membranes.get(output.id) : undefined);
    });
  };
}

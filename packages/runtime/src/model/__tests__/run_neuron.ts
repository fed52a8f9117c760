import * as tf from '@tensorflow/tfjs-core';
import { Random, type NeuronDef } from '@snnc/ir';
import { buildNeuron, type NeuronImpl, type NeuronRuntime } from '../layers/neuron.js';

/** Runs one neuron layer on a per-step input sequence xs[t][i]; returns spikes[t][i] and H. */
export function runNeuron(
  def: NeuronDef,
  xs: number[][],
  impl: NeuronImpl = 'composed',
): { spikes: number[][]; membrane: number[][] | null; layer: NeuronRuntime } {
  const T = xs.length;
  const n = xs[0]!.length;
  const layer = buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [n], outShape: [n], neuron: def }, impl);
  const wantMembrane = impl === 'composed';
  // tidy keeps tensors only: the arrays are read inside it and handed out through a closure
  let spikes: number[][] = [];
  let membrane: number[][] | null = null;
  tf.tidy(() => {
    const r = layer.run(tf.tensor2d(xs.flat(), [T, n]), { training: true, rng: new Random(0), steps: T, batch: 1, folded: true }, wantMembrane);
    spikes = r.spikes.arraySync() as number[][];
    membrane = r.membrane ? (r.membrane.arraySync() as number[][]) : null;
  });
  return { spikes, membrane, layer };
}

export const constant = (value: number, steps: number, n = 1): number[][] =>
  Array.from({ length: steps }, () => Array.from({ length: n }, () => value));

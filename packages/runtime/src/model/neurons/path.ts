import * as tf from '@tensorflow/tfjs-core';
import { assertNever } from '@snnc/ir';
import { fusedNeuronAvailable } from '../../kernels/fused_neuron.js';

/** How a neuron layer runs its time loop (see NeuronImpl in layers/neuron.ts). */
export type NeuronPath = 'fused' | 'bptt' | 'composed';

/**
 * The implementation a neuron layer uses: `linear` says the IF/LIF kernels apply (a built-in
 * IF/LIF, or a definition recognised as one). Only the composed path exposes H for membrane
 * decoding.
 */
export function selectPath(impl: 'auto' | 'fused' | 'bptt' | 'composed', wantMembrane: boolean, linear: boolean, id: string, kind: string): NeuronPath {
  if (impl === 'composed' || wantMembrane) return 'composed';
  const fusable = linear && fusedNeuronAvailable();
  switch (impl) {
    case 'fused':
      if (!fusable) throw new Error(`${id}: fused neuron requested but not available for ${kind} on backend ${tf.getBackend()}`);
      return 'fused';
    case 'bptt':
      if (!linear) throw new Error(`${id}: bptt neuron requested but ${kind} is not IF/LIF`);
      return 'bptt';
    case 'auto':
      return fusable ? 'fused' : linear ? 'bptt' : 'composed';
    default:
      return assertNever(impl);
  }
}

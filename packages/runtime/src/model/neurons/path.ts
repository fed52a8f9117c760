import * as tf from '@tensorflow/tfjs-core';
import { assertNever, type LiftedPlan } from '@snnc/ir';
import { fusedNeuronRuns } from '../../kernels/fused_neuron.js';

/** How a neuron layer runs its time loop (see NeuronImpl in layers/neuron.ts). */
export type NeuronPath = 'fused' | 'bptt' | 'composed';

/**
 * The implementation a neuron layer uses: `planned` is the neuron's lifted kernel plan, null
 * where the kernels do not apply (trainable scalars, per-neuron parameters). Fused needs the
 * backend's kernels (and, on cpu/wasm, a generated kernel of the plan's shape); the plan's BPTT
 * runs anywhere. Only the composed path exposes H for membrane decoding.
 */
export function selectPath(impl: 'auto' | 'fused' | 'bptt' | 'composed', wantMembrane: boolean, planned: LiftedPlan | null, id: string, kind: string): NeuronPath {
  if (impl === 'composed' || wantMembrane) return 'composed';
  const linear = planned !== null;
  const fusable = planned !== null && fusedNeuronRuns(planned);
  switch (impl) {
    case 'fused':
      if (!fusable) throw new Error(`${id}: fused neuron requested but not available for ${kind} on backend ${tf.getBackend()}`);
      return 'fused';
    case 'bptt':
      if (!linear) throw new Error(`${id}: bptt neuron requested but ${kind} has trainable scalars or per-neuron parameters (composed ops only)`);
      return 'bptt';
    case 'auto':
      return fusable ? 'fused' : linear ? 'bptt' : 'composed';
    default:
      return assertNever(impl);
  }
}

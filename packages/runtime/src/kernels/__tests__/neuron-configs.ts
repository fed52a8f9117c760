import type { NeuronDef, Surrogate } from '@snnc/ir';
import { neuronDef } from '../../model/__tests__/models.js';

/** Every surrogate with its default alpha (ir.ts). */
export const SURROGATES: Surrogate[] = [
  { kind: 'atan', alpha: 2 },
  { kind: 'sigmoid', alpha: 4 },
  { kind: 'fast_sigmoid', alpha: 25 },
  { kind: 'triangle', alpha: 0.3 },
  { kind: 'piecewise_quadratic', alpha: 1 },
];

/**
 * A spread of neuron configurations for checking a fused kernel against the composed ops:
 * every surrogate x reset x detach, with IF/LIF, tau, reset value, threshold and decay crossed in.
 */
export function neuronConfigs(): NeuronDef[] {
  const out: NeuronDef[] = [];
  let i = 0;
  for (const surrogate of SURROGATES) {
    for (const reset of ['hard', 'soft'] as const) {
      for (const detachReset of [false, true]) {
        const kind = i % 3 === 0 ? 'if' : 'lif';
        out.push(
          neuronDef(kind, {
            surrogate,
            reset,
            detachReset,
            resetValue: i % 2 === 0 ? 0 : -0.25,
            threshold: i % 4 === 1 ? 0.8 : 1,
            ...(kind === 'lif' ? { tau: [2, 3.5, 1.5][i % 3], decayInput: i % 5 !== 2 } : {}),
          }),
        );
        i++;
      }
    }
  }
  return out;
}

import type { EquationNeuron } from '@snnc/ir';
import { compile } from '../compile.js';
import { STDLIB_NEURONS_SOURCE } from './index.js';

let cached: Map<string, EquationNeuron> | undefined;

/**
 * A standard-library definition instantiated with its defaults (`snnc trace --neuron
 * Izhikevich`, tests comparing a definition with the built-in kernels). Compiling the library
 * as a file of its own makes every definition a neuron of that program.
 */
export function libraryNeuron(name: string): EquationNeuron | undefined {
  if (!cached) {
    cached = new Map();
    const r = compile(STDLIB_NEURONS_SOURCE, { file: 'stdlib.snn', stdlib: false });
    for (const n of r.ir?.neurons ?? []) if (n.kind === 'equations') cached.set(n.name, n);
  }
  return cached.get(name);
}

/** Names of the standard library's neurons, in file order. */
export function libraryNeuronNames(): string[] {
  libraryNeuron('');
  return [...cached!.keys()];
}

import { libraryNeuronEntries } from '../stdlib/entries.js';
import { callablesWith } from './index.js';
import type { CallableEntry } from './types.js';

/*
 * The whole table with the neurons defined in `.snn`. Kept apart from the table's index: the
 * library's entries come from the neuron checks, which themselves read the table.
 */

let library: readonly CallableEntry[] | undefined;

/**
 * The built-in callables, the standard library's neurons and `extra` (a file's own neuron
 * definitions, from `neuronEntriesOf`), for `snnc help`, the editor and the docs.
 */
export function allCallables(extra: readonly CallableEntry[] = []): readonly CallableEntry[] {
  library ??= libraryNeuronEntries();
  return callablesWith([...library, ...extra]);
}

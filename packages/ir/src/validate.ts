import type { Diagnostic, SnncError } from './diagnostic.js';
import type { Program } from './ir.js';
import { Problems } from './validate-problems.js';
import { checkDataFit, targetWidth, validateExperiment, type ImageDataShape } from './validate-experiment.js';
import { checkNeuron, validateModel } from './validate-model.js';
import { validateNetwork } from './validate-network.js';
import { synapseProblem } from './validate-synapse.js';
import { MAX_WEIGHT_PROBE_ENTRIES, weightEntries } from './validate-learning.js';

/**
 * One validator for IR programs, whoever built them: the `.snn` compiler reports all of these
 * as located diagnostics first, but IR written by hand, by tools, by the NIR importer or read
 * from a JSON file reaches runtimes too. The runtime, the NEF builder and the lowering tests
 * call it; every problem carries the compiler's code for the same mistake and the IR's source
 * range when it has one.
 */

/** Every problem of a program: its neurons, models, experiments, sweep points and networks. */
export function validateIR(program: Program): SnncError[] {
  const p = new Problems();
  for (const n of program.neurons) checkNeuron(n, p);
  for (const m of program.models) validateModel(m, p);
  for (const e of program.experiments) validateExperiment(e, p);
  for (const s of program.sweeps) for (const point of s.points) validateExperiment(point.experiment, p);
  for (const n of program.networks) validateNetwork(n, p);
  return p.list;
}

/** Throws the first problem (what runtimes do before running anything). */
export function throwIfInvalid(problems: readonly SnncError[]): void {
  const first = problems[0];
  if (first !== undefined) throw first;
}

/** The problems as diagnostics; those without a range point at line 1 of `file`. */
export function problemsAsDiagnostics(problems: readonly SnncError[], file: string): Diagnostic[] {
  return problems.map((e) => e.toDiagnostic(file));
}

export { checkDataFit, MAX_WEIGHT_PROBE_ENTRIES, Problems, synapseProblem, targetWidth, weightEntries, validateExperiment, validateModel, validateNetwork, type ImageDataShape };
export * from './validate-ranges.js';
export { NENGO_DEFAULTS } from './defaults.js';

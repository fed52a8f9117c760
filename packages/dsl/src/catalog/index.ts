import { BUILTIN_FUNCTIONS } from '@snnc/ir';
import { DATA_ENTRIES, ENERGY_ENTRIES, EXPERIMENT_ENTRY, INIT_ENTRIES, LOSS_ENTRIES, NORMALIZE_ENTRIES, OPTIMIZER_ENTRIES, REGULARIZE_ENTRIES, SCHEDULE_ENTRIES, TARGET_ENTRIES } from './experiments.js';
import { LAYER_ENTRIES, MERGE_ENTRIES } from './layers.js';
import { DECODER_ENTRIES, ENCODER_ENTRIES, MODEL_ENTRY } from './models.js';
import { CONNECTION_ENTRY, ENSEMBLE_ENTRIES, LEARNING_ENTRIES, MATRIX_ENTRIES, NETWORK_ENTRY, PROBE_ENTRY, SIGNAL_ENTRIES, SYNAPSE_ENTRIES } from './nef.js';
import { BUILTIN_NEURON_ENTRIES, SURROGATE_ENTRIES } from './neurons.js';
import type { CallableEntry, CallableKind, NumSpec, ParamDefault, ParamEntry } from './types.js';

export type * from './types.js';
export { BUILTIN_NEURON_ENTRIES };

/** Expression functions, from the IR's arity table (negative: at least that many arguments). */
const FUNCTION_ENTRIES: readonly CallableEntry[] = Object.entries(BUILTIN_FUNCTIONS).map(([name, arity]): CallableEntry => {
  const args = arity < 0 ? 'a, b, ...' : 'v';
  return {
    name,
    kind: 'function',
    doc: `built-in function ${name}(${args})${arity < 0 ? `, ${-arity} or more arguments` : ''}`,
    params: [],
    snippet: arity < 0 ? `${name}(\${1:a}, \${2:b})` : `${name}(\${1:x})`,
  };
});

/** The neuron entries in the table; swapped for the standard library's when it compiles them. */
const NEURONS: readonly CallableEntry[] = BUILTIN_NEURON_ENTRIES;

/** Every callable except the neurons, in the order the docs and `snnc help callables` list them. */
const OTHERS: readonly CallableEntry[] = [
  ...SURROGATE_ENTRIES,
  MODEL_ENTRY,
  ...LAYER_ENTRIES,
  ...MERGE_ENTRIES,
  ...ENCODER_ENTRIES,
  ...DECODER_ENTRIES,
  EXPERIMENT_ENTRY,
  ...DATA_ENTRIES,
  ...NORMALIZE_ENTRIES,
  ...TARGET_ENTRIES,
  ...LOSS_ENTRIES,
  ...OPTIMIZER_ENTRIES,
  ...SCHEDULE_ENTRIES,
  ...INIT_ENTRIES,
  ...ENERGY_ENTRIES,
  ...REGULARIZE_ENTRIES,
  NETWORK_ENTRY,
  ...ENSEMBLE_ENTRIES,
  ...SIGNAL_ENTRIES,
  CONNECTION_ENTRY,
  PROBE_ENTRY,
  ...LEARNING_ENTRIES,
  ...SYNAPSE_ENTRIES,
  ...MATRIX_ENTRIES,
  ...FUNCTION_ENTRIES,
];

/** The table with the built-in neurons: what the checks read. */
export const CALLABLES: readonly CallableEntry[] = [...NEURONS, ...OTHERS];

/**
 * The table with extra neuron entries (a file's own neuron definitions) after the built-in
 * ones, for the editor's completion and hovers; an extra entry shadows a built-in of its name.
 */
export function callablesWith(neurons: readonly CallableEntry[]): readonly CallableEntry[] {
  const own = new Set(neurons.map((n) => n.name));
  return [...NEURONS.filter((n) => !own.has(n.name)), ...neurons, ...OTHERS];
}

/** The order kinds are presented in (docs, `snnc help callables`). */
export const CALLABLE_KINDS: readonly CallableKind[] = [
  'neuron',
  'surrogate',
  'model',
  'layer',
  'encoder',
  'decoder',
  'experiment',
  'data',
  'normalize',
  'target',
  'loss',
  'optimizer',
  'schedule',
  'init',
  'energy',
  'regularize',
  'network',
  'ensemble',
  'signal',
  'connection',
  'probe',
  'learning',
  'synapse',
  'matrix',
  'function',
];

export function findCallable(kind: CallableKind, name: string, table: readonly CallableEntry[] = CALLABLES): CallableEntry | undefined {
  return table.find((e) => e.kind === kind && e.name === name);
}

/** A callable the compiler itself names; a missing one is a bug in the table, not a user mistake. */
export function callable(kind: CallableKind, name: string): CallableEntry {
  const e = findCallable(kind, name);
  if (!e) throw new Error(`parameter table: no ${kind} \`${name}\``);
  return e;
}

/** The names of one kind, in table order. */
export function namesOf(kind: CallableKind, table: readonly CallableEntry[] = CALLABLES): string[] {
  return table.filter((e) => e.kind === kind).map((e) => e.name);
}

export function paramOf(e: CallableEntry, name: string): ParamEntry {
  const p = e.params.find((x) => x.name === name);
  if (!p) throw new Error(`parameter table: ${e.kind} \`${e.name}\` has no parameter \`${name}\``);
  return p;
}

/** A numeric parameter's range and dimension (a plain finite number when the table gives none). */
export function numOf(e: CallableEntry, name: string): NumSpec {
  return paramOf(e, name).num ?? {};
}

/** What `bindArgs` needs: positional names in order, the others, and the required ones. */
export function signatureOf(e: CallableEntry, owner: string = e.name): { owner: string; positional: string[]; named: string[]; required: string[] } {
  return {
    owner,
    positional: e.params.filter((p) => p.positional).map((p) => p.name),
    named: e.params.filter((p) => !p.positional).map((p) => p.name),
    required: e.params.filter((p) => p.default === undefined).map((p) => p.name),
  };
}

/** A parameter's constant default; a missing or derived one is a bug in the table. */
export function defaultOf(e: CallableEntry, name: string): NonNullable<ParamDefault['value']> | null {
  const d = paramOf(e, name).default;
  if (!d || d.value === undefined) throw new Error(`parameter table: ${e.kind} \`${e.name}\` parameter \`${name}\` has no constant default`);
  return d.value;
}

export function defaultNumber(e: CallableEntry, name: string): number {
  const v = defaultOf(e, name);
  if (typeof v !== 'number') throw new Error(`parameter table: default of \`${e.name}.${name}\` is not a number`);
  return v;
}

export function defaultBoolean(e: CallableEntry, name: string): boolean {
  const v = defaultOf(e, name);
  if (typeof v !== 'boolean') throw new Error(`parameter table: default of \`${e.name}.${name}\` is not a boolean`);
  return v;
}

export function defaultPair(e: CallableEntry, name: string): [number, number] {
  const v = defaultOf(e, name);
  if (!Array.isArray(v) || v.length !== 2) throw new Error(`parameter table: default of \`${e.name}.${name}\` is not a pair`);
  return [v[0] as number, v[1] as number];
}

export function defaultWord(e: CallableEntry, name: string): string {
  const v = defaultOf(e, name);
  if (typeof v !== 'string') throw new Error(`parameter table: default of \`${e.name}.${name}\` is not a word`);
  return v;
}

export * from './render.js';

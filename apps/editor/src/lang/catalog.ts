/**
 * What the editor says about `.snn` words in completions and hovers. Every callable, its
 * parameters, defaults and units come from the compiler's parameter table (`@snnc/dsl`
 * catalog), the same one the checks, `snnc help` and docs/language.md use, so the editor
 * cannot document a parameter the compiler rejects or a default it does not fill in. Only the
 * keyword docs are kept here.
 */
import { allCallables, callable, callableMarkdown, kindLabel, paramLine as tableParamLine, type CallableEntry, type CallableKind, type ParamEntry } from '@snnc/dsl';

export type EntryContext = CallableKind;

export type ParamDoc = ParamEntry;

/** A table entry with the text completion inserts. */
export type CatalogEntry = CallableEntry & { snippet: string };

/**
 * Kinds whose entries are words a user writes (`conv2d`, `adam`, `onehot`); the others
 * (experiment fields, network settings, connection and probe options) are parameter lists
 * of a statement, offered as argument or field names only.
 */
const WORD_KINDS: ReadonlySet<CallableKind> = new Set<CallableKind>([
  'neuron',
  'surrogate',
  'layer',
  'encoder',
  'decoder',
  'data',
  'normalize',
  'target',
  'loss',
  'optimizer',
  'schedule',
  'init',
  'energy',
  'regularize',
  'ensemble',
  'signal',
  'function',
]);

/** `conv2d(${1:filters}, kernel: ${2:kernel})` from the required parameters, when the table gives no snippet. */
export function snippetOf(e: CallableEntry): string {
  if (e.snippet !== undefined) return e.snippet;
  const required = e.params.filter((p) => p.default === undefined);
  if (required.length === 0) return e.name;
  const args = required.map((p, i) => (p.positional ? `\${${i + 1}:${p.name}}` : `${p.name}: \${${i + 1}:${p.name}}`));
  return `${e.name}(${args.join(', ')})`;
}

/** The editor's entries for a table: the word kinds, each with its completion text. */
export function catalogOf(table: readonly CallableEntry[]): readonly CatalogEntry[] {
  return table.filter((e) => WORD_KINDS.has(e.kind)).map((e) => ({ ...e, snippet: snippetOf(e) }));
}

/** The built-in callables and the standard library's neurons. */
export const CATALOG: readonly CatalogEntry[] = catalogOf(allCallables());

/** Fields of an `experiment { ... }` block. */
export const EXPERIMENT_FIELDS: readonly ParamDoc[] = callable('experiment', 'experiment').params;

/** Options of `connect a -> b (...)` and `probe x (...)`, and the settings of a network. */
export const CONNECTION_OPTIONS: CallableEntry = callable('connection', 'connect');
export const PROBE_OPTIONS: CallableEntry = callable('probe', 'probe');
export const NETWORK_SETTINGS: CallableEntry = callable('network', 'network');

/** A network setting's hover, from the table: `` `dt`: simulation step (...; default `1ms`) ``. */
function settingDoc(name: string): string {
  return `network setting ${tableParamLine(NETWORK_SETTINGS.params.find((p) => p.name === name)!)}`;
}

/** Keyword docs for hovers on the reserved words themselves. */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
  use: 'imports the definitions of another `.snn` file, resolved against this one',
  neuron: 'names a trained neuron model: `neuron lif = LIF(tau: 2.0)`',
  model: 'a trained spiking network: `model name(input: [1, 28, 28], steps: 4) { ... }`',
  experiment: 'a training run: model, data, target code, loss, optimizer, batch, epochs, seed',
  sweep: 'a grid of experiments varying fields of a base experiment',
  network: 'an NEF network (Nengo semantics): inputs, ensembles, connections, probes',
  from: 'inherit every field of another experiment',
  encode: 'how a static input becomes T steps: `direct`, `poisson`, `latency`',
  decode: 'how the last layer becomes the output: `rate`, `count`, `membrane`',
  input: 'an NEF input signal (a constant, a list, `piecewise`, an expression of t, `white_noise`)',
  ensemble: 'a population of NEF neurons representing a vector',
  connect: 'an NEF connection, optionally computing a function: `connect a -> b (function: x[0]^2)`',
  probe: 'records a value of the network for plotting (optionally filtered by a synapse)',
  state: 'a state variable of a neuron definition with its initial value: `state v = -65mV`',
  spike: 'the spike condition of a neuron definition: `spike when v >= threshold { v = c  u += d }`',
  when: 'introduces the condition of `spike when ...`',
  refractory: 'the refractory period of a neuron definition: `refractory 2ms` (membrane held, no spikes)',
  surrogate: 'the surrogate gradient of a defined neuron\'s spike: `surrogate atan(alpha: 2)`',
  integrate: 'the integration scheme of a neuron definition: `integrate euler`, `exact` or `discrete`',
  trainable: 'a scalar of a neuron definition learned per layer in training: `trainable w = -log(tau - 1)`',
  block: 'a reusable part of a model graph: `block sew(c) { ... }`',
  run: settingDoc('run'),
  dt: settingDoc('dt'),
  seed: settingDoc('seed'),
};

/** Catalogue entries for a word, optionally only those valid in one context. */
export function lookup(name: string, context?: EntryContext, catalog: readonly CatalogEntry[] = CATALOG): CatalogEntry[] {
  return catalog.filter((e) => e.name === name && (context === undefined || e.kind === context));
}

/** The Markdown shown for an entry in a hover or completion details. */
export function entryMarkdown(e: CallableEntry): string {
  return callableMarkdown(e);
}

export function paramLine(p: ParamDoc): string {
  return tableParamLine(p);
}

export function contextLabel(c: EntryContext): string {
  return kindLabel(c);
}

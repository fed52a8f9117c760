import { describe, expect, test } from 'vitest';
import { compile } from '../compile.js';
import { CALLABLES, callable, namesOf, signatureOf, type CallableEntry, type ParamEntry } from './index.js';
import { allCallables } from './library.js';
import { LAYER_KINDS } from '../check/layers.js';
import { DECODERS, ENCODERS } from '../check/models.js';
import { ENSEMBLE_KINDS } from '../check/nef-objects.js';
import { NEURON_KINDS } from '../check/neurons.js';

/**
 * The table against the compiler: every parameter it lists is accepted where its callable is
 * used, every required one is really required, and every constant default, written out as its
 * `default.text`, compiles to the same IR as leaving the parameter out.
 */

/** Values for required parameters (their names are shared across callables). */
const SAMPLES: Record<string, string> = {
  filters: '4',
  kernel: '3',
  units: '10',
  size: '2',
  rate: '0.1',
  n: '20',
  points: '{0: 0, 0.05: 1}',
  mean: '0.5',
  std: '0.25',
  train_images: '"a"',
  train_labels: '"b"',
  test_images: '"c"',
  test_labels: '"d"',
  train: '"a"',
  test: '"b"',
  model: 'm',
  run: '0.1s',
  input: '[1, 8, 8]',
  steps: '2',
  stride: '1',
  seed: '3',
  factor: '2',
  tau: '5ms',
  num: '[1]',
  den: '[0.005, 1]',
  post_synapse: '10ms',
  value: 'x[0] * 2',
  size_in: '2',
  period: '1s',
  high: '5Hz',
  rows: '2',
  cols: '2',
  values: '[1, 2]',
  theta: '0.5',
  path: '"w.csv"',
  mac: '4.6',
  ac: '0.9',
  weight: '0.1',
  regularize: 'firing_rate(weight: 0.1)',
};

const MODEL = 'model m(input: [1, 28, 28], steps: 2) {\n  flatten -> dense(outputs) -> LIF\n}\n';

/** Layers that need something before them in a [1, 8, 8] model, or another input shape. */
const LAYER_PRE: Record<string, string> = { dense: 'flatten -> ' };
const LAYER_INPUT: Record<string, string> = { conv1d: '[1, 8]' };
/** Merges take the names of other results (`add(x)`), tested with model graphs. */
const NOT_ALONE = new Set(['add', 'concat', 'iand']);

function sample(p: ParamEntry): string {
  const v = SAMPLES[p.name];
  if (v === undefined) throw new Error(`catalog.test: add a sample value for required parameter \`${p.name}\``);
  return v;
}

/** `name(required..., extra)` with every required parameter given by name. */
function call(e: CallableEntry, extra?: string): string {
  const args = e.params.filter((p) => p.default === undefined && `${p.name}:` !== extra?.split(' ')[0]).map((p) => `${p.name}: ${sample(p)}`);
  if (extra) args.push(extra);
  return args.length === 0 ? e.name : `${e.name}(${args.join(', ')})`;
}

/** A file using the entry with `extra` (`name: value`) added, or undefined for kinds not tested here. */
function source(e: CallableEntry, extra?: string): string | undefined {
  switch (e.kind) {
    case 'neuron':
      return `neuron x = ${call(e, extra)}\n`;
    case 'surrogate':
      return `neuron x = LIF(surrogate: ${call(e, extra)})\n`;
    case 'layer':
      if (NOT_ALONE.has(e.name)) return undefined;
      return `model m(input: ${LAYER_INPUT[e.name] ?? '[1, 8, 8]'}, steps: 2) {\n  ${LAYER_PRE[e.name] ?? ''}${call(e, extra)} -> flatten -> dense(10) -> LIF\n}\n`;
    case 'encoder':
      return `model m(input: [4], steps: 2) {\n  encode ${call(e, extra)}\n  dense(10) -> LIF\n}\n`;
    case 'decoder':
      return `model m(input: [4], steps: 2) {\n  dense(10) -> LIF\n  decode ${e.name}\n}\n`;
    case 'model':
      return `model m(${['input: [1, 8, 8]', 'steps: 2'].filter((a) => !extra || a.split(':')[0] !== extra.split(':')[0]).concat(extra ? [extra] : []).join(', ')}) {\n  flatten -> dense(10) -> LIF\n}\n`;
    case 'experiment':
      return `${MODEL}experiment x {\n  ${extra?.startsWith('model:') ? '' : 'model: m'}\n  ${extra ?? ''}\n}\n`;
    case 'data':
    case 'normalize':
    case 'optimizer':
    case 'schedule':
    case 'target':
    case 'loss':
    case 'init':
    case 'energy':
    case 'regularize':
      return `${MODEL}experiment x {\n  model: m\n  ${e.kind}: ${call(e, extra)}\n}\n`;
    case 'network':
      return `network n {\n  ${extra?.startsWith('run:') ? '' : 'run 0.1s'}\n  ${extra ? extra.replace(':', '') : ''}\n}\n`;
    case 'ensemble':
      return `network n {\n  ensemble a = ${call(e, extra)}\n  run 0.1s\n}\n`;
    case 'signal':
      return `network n {\n  input a = ${call(e, extra)}\n  run 0.1s\n}\n`;
    case 'connection':
      return `network n {\n  ensemble a = LIF(n: 20)\n  ensemble b = LIF(n: 20)\n  connect a -> b${extra ? ` (${extra})` : ''}\n  run 0.1s\n}\n`;
    case 'probe':
      return `network n {\n  ensemble a = LIF(n: 20)\n  probe a${extra ? ` (${extra})` : ''}\n  run 0.1s\n}\n`;
    case 'learning': {
      // the rule's connection, and (PES, Voja) a connection into its error or learning signal
      const pre = e.name === 'Voja' ? 'input s = 0.5\n  ' : '';
      const into = e.name === 'BCM' || e.name === 'Oja' ? '' : `\n  connect ${e.name === 'Voja' ? 's' : 'b'} -> c.learning`;
      return `network n {\n  ${pre}ensemble a = LIF(n: 20)\n  ensemble b = LIF(n: 20)\n  connect c = ${e.name === 'Voja' ? 's' : 'a'} -> b (learning: ${call(e, extra)})${into}\n  run 0.1s\n}\n`;
    }
    case 'matrix':
      return `network n {\n  ensemble a = LIF(n: 20, dims: 2)\n  ensemble b = LIF(n: 20, dims: 2)\n  connect a -> b (transform: ${call(e, extra)})\n  run 0.1s\n}\n`;
    case 'synapse':
      return `network n {\n  ensemble a = LIF(n: 20)\n  ensemble b = LIF(n: 20)\n  connect a -> b (synapse: ${call(e, extra)})\n  run 0.1s\n}\n`;
    case 'function':
      return undefined;
    default:
      return e.kind satisfies never;
  }
}

/** The IR without source ranges, which differ between two spellings of the same thing. */
function stripRanges(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripRanges);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'range').map(([k, x]) => [k, stripRanges(x)]));
  return v;
}

function compiled(text: string) {
  const r = compile(text, { file: 'catalog.snn' });
  // Shape and data-fit errors (SNN4xxx) belong to the template, not to the parameter.
  const nameOrValue = r.diagnostics.filter((d) => d.severity === 'error' && /^SNN[123]/.test(d.code)).map((d) => `${d.code} ${d.message}`);
  return { ir: r.ir && stripRanges({ ...r.ir, file: '' }), nameOrValue, errors: r.diagnostics.filter((d) => d.severity === 'error').length };
}

// The standard library's neurons are entries like the built-ins (their defaults must be what the compiler fills in too).
const withParams = allCallables().filter((e) => e.kind !== 'function' && !(e.kind === 'layer' && NOT_ALONE.has(e.name)));

describe('parameter table', () => {
  test.each(withParams.map((e) => [`${e.kind} ${e.name}`, e] as const))('%s compiles with its required parameters', (_l, e) => {
    expect(compiled(source(e)!).nameOrValue).toEqual([]);
  });

  const params = withParams.flatMap((e) => e.params.map((p) => [`${e.kind} ${e.name}: ${p.name}`, e, p] as const));
  test.each(params)('%s: accepted, and its default is what the compiler fills in', (_l, e, p) => {
    const constant = p.default !== undefined && p.default.value !== undefined && p.default.value !== null;
    const written = `${p.name}: ${constant ? p.default!.text : p.default === undefined ? sample(p) : (SAMPLES[p.name] ?? p.default.text)}`;
    const explicit = compiled(source(e, written)!);
    expect(explicit.nameOrValue, source(e, written)).toEqual([]);
    if (!constant) return;
    const omitted = compiled(source(e)!);
    if (omitted.errors === 0) expect(explicit.ir, source(e, written)).toEqual(omitted.ir);
  });

  test.each(params.filter(([, e, p]) => p.default === undefined && e.kind !== 'model' && e.kind !== 'network' && e.kind !== 'experiment'))('%s is required', (_l, e, p) => {
    const args = e.params.filter((q) => q.default === undefined && q !== p).map((q) => `${q.name}: ${sample(q)}`);
    const bare = source({ ...e, params: [] }, args.join(', ') || undefined)!;
    // Without arguments the call needs its parentheses to be a call at all (`piecewise()`).
    const text = args.length > 0 ? bare : bare.replace(new RegExp(`\\b${e.name}\\b(?!\\()`), `${e.name}()`);
    const r = compile(text, { file: 'catalog.snn' });
    expect(r.diagnostics.map((d) => d.code), text).toContain('SNN2004');
  });

  test('every callable of a kind has a unique name, and parameters are unique per callable', () => {
    const keys = CALLABLES.map((e) => `${e.kind} ${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of CALLABLES) expect(new Set(e.params.map((p) => p.name)).size, e.name).toBe(e.params.length);
  });

  test('positional parameters come first, so binding by position follows the table order', () => {
    for (const e of CALLABLES) {
      const firstNamed = e.params.findIndex((p) => !p.positional);
      expect(e.params.slice(firstNamed < 0 ? e.params.length : firstNamed).some((p) => p.positional), e.name).toBe(false);
    }
  });

  test('the kind lists the checks switch over are exactly the table\'s names', () => {
    expect(LAYER_KINDS.filter((k) => !namesOf('layer').includes(k))).toEqual([]);
    expect(namesOf('encoder')).toEqual([...ENCODERS]);
    expect(namesOf('decoder')).toEqual([...DECODERS]);
    expect(namesOf('ensemble')).toEqual(Object.keys(ENSEMBLE_KINDS));
    expect(Object.keys(NEURON_KINDS).filter((k) => !namesOf('neuron').includes(k))).toEqual([]);
  });

  test('the drift issue 10 found is gone: conv2d kernel required, sgd lr and batch defaulted', () => {
    expect(signatureOf(callable('layer', 'conv2d')).required).toEqual(['filters', 'kernel']);
    expect(signatureOf(callable('optimizer', 'sgd')).required).toEqual([]);
    expect(signatureOf(callable('experiment', 'experiment')).required).toEqual(['model']);
    expect(namesOf('optimizer')).toEqual(['adam', 'adamw', 'sgd']);
  });
});

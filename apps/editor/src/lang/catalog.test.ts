import { describe, expect, test } from 'vitest';
import { CALLABLES, KEYWORDS, callable } from '@snnc/dsl';
import { CATALOG, EXPERIMENT_FIELDS, KEYWORD_DOCS, catalogOf, entryMarkdown, lookup, paramLine, snippetOf } from './catalog.js';

/**
 * The editor's catalogue is the compiler's parameter table (whose agreement with the compiler
 * is tested in @snnc/dsl, catalog.test.ts); these tests check what the editor takes from it.
 */
describe('catalog', () => {
  test('offers every word-like callable of the table, with a completion text', () => {
    for (const name of ['conv2d', 'dense', 'LIF', 'atan', 'poisson', 'membrane', 'adam', 'cosine', 'idx', 'standard', 'onehot', 'cross_entropy', 'LIFRate', 'white_noise', 'sin']) {
      expect(lookup(name).length, name).toBeGreaterThan(0);
    }
    expect(CATALOG.every((e) => e.snippet.length > 0)).toBe(true);
    // Statement parameter lists are offered as argument names, not as words.
    expect(lookup('experiment')).toEqual([]);
    expect(lookup('connect')).toEqual([]);
  });

  test('shows the defaults the compiler uses (the drift of issue 10)', () => {
    const conv = lookup('conv2d', 'layer')[0]!;
    expect(paramLine(conv.params.find((p) => p.name === 'kernel')!)).toMatch(/required\)$/);
    const sgd = lookup('sgd', 'optimizer')[0]!;
    expect(paramLine(sgd.params.find((p) => p.name === 'lr')!)).toContain('default `1e-3`');
    expect(paramLine(EXPERIMENT_FIELDS.find((f) => f.name === 'batch')!)).toContain('default `64`');
  });

  test('LIF means a trained neuron or an NEF neuron type depending on where it is', () => {
    expect(lookup('LIF').map((e) => e.kind).sort()).toEqual(['ensemble', 'neuron']);
    expect(entryMarkdown(lookup('LIF', 'ensemble')[0]!)).toContain('`tau_rc`');
    expect(entryMarkdown(lookup('LIF', 'neuron')[0]!)).toContain('unit: time steps');
  });

  test('derives a snippet from the required parameters when the table gives none', () => {
    const entry = { ...callable('layer', 'conv2d'), snippet: undefined };
    expect(snippetOf(entry)).toBe('conv2d(${1:filters}, kernel: ${2:kernel})');
    expect(snippetOf({ ...callable('loss', 'mse') })).toBe('mse');
  });

  test('takes extra neuron entries, such as a file’s own neuron definitions', () => {
    const own = { name: 'Izh', kind: 'neuron' as const, doc: 'user neuron', params: [{ name: 'a', type: 'number' as const, default: { value: 0.02, text: '0.02' }, doc: 'recovery rate' }] };
    const catalog = catalogOf([...CALLABLES, own]);
    expect(lookup('Izh', 'neuron', catalog)[0]!.snippet).toBe('Izh');
    expect(entryMarkdown(lookup('Izh', 'neuron', catalog)[0]!)).toContain('`a`: recovery rate');
  });

  test('every keyword has a hover doc, and network settings come from the table', () => {
    expect(KEYWORDS.filter((k) => KEYWORD_DOCS[k] === undefined)).toEqual([]);
    expect(KEYWORD_DOCS['dt']).toContain('default `1ms`');
  });
});

import { describe, expect, test } from 'vitest';
import { compile } from '@snnc/dsl';
import { CATALOG, EXPERIMENT_FIELDS, KEYWORD_DOCS, entryMarkdown, lookup, type CatalogEntry } from './catalog.js';
import { KEYWORDS } from '@snnc/dsl';

/**
 * Every parameter the editor documents must be one the compiler accepts: each entry is
 * compiled in a context where it is valid, once per parameter, and SNN2003 ("has no
 * parameter") must not appear.
 */

/** A value of the right kind for a parameter, so only the parameter's name is under test. */
const VALUES: Record<string, string> = {
  surrogate: 'atan(alpha: 2)',
  reset: '0.0',
  detach_reset: 'false',
  decay_input: 'true',
  mode: 'linear',
  bias: 'true',
  nesterov: 'false',
  max_rates: '[200Hz, 400Hz]',
  intercepts: '[-1, 0.9]',
  encoders: '[[1]]',
  tau_rc: '20ms',
  tau_ref: '2ms',
  points: '{0: 0, 0.2: 1}',
  kernel: '3',
  stride: '1',
  padding: '1',
  size: '2',
  filters: '8',
  units: '10',
  rate: '0.1',
  n: '50',
  dims: '1',
  lr: '0.01',
};

function valueOf(p: string): string {
  return VALUES[p] ?? '1';
}

function source(e: CatalogEntry, param: string | undefined): string | undefined {
  const arg = param === undefined ? '' : `${param}: ${valueOf(param)}`;
  const call = (req: string) => `${e.name}(${[req, arg].filter(Boolean).join(', ')})`;
  const model = (chain: string, extra = '') =>
    `model m(input: [1, 8, 8], steps: 2) {\n  ${extra}\n  ${chain}\n}\n`;
  switch (e.context) {
    case 'layer': {
      const positional: Record<string, string> = { conv2d: '4', dense: '10', maxpool: '2', avgpool: '2', dropout: '0.1' };
      const p = positional[e.name];
      if (param && ['filters', 'units', 'size', 'rate'].includes(param)) return model(`${e.name}(${param}: ${valueOf(param)}) -> flatten -> dense(10) -> LIF`);
      const layer = p !== undefined || param ? call(p ?? '') : e.name;
      return model(`${layer} -> flatten -> dense(10) -> LIF`);
    }
    case 'neuron':
      return `neuron x = ${call('')}\n`;
    case 'surrogate':
      return `neuron x = LIF(surrogate: ${call('')})\n`;
    case 'encoder':
      return model('flatten -> dense(10) -> LIF', `encode ${param || e.name !== 'direct' ? call('') : e.name}`);
    case 'decoder':
      return model('flatten -> dense(10) -> LIF\n  decode ' + e.name);
    case 'ensemble':
      return `network n {\n  ensemble a = ${call(param === 'n' ? '' : 'n: 50')}\n  run 0.1s\n}\n`;
    case 'signal':
      if (param === 'points') return `network n {\n  input a = ${e.name}(${valueOf('points')})\n  run 0.1s\n}\n`;
      return `network n {\n  input a = ${e.name === 'piecewise' ? call('{0: 1}') : call('')}\n  run 0.1s\n}\n`;
    case 'optimizer':
    case 'schedule': {
      const field = e.context === 'optimizer' ? `optimizer: ${call(param === 'lr' || e.name !== 'sgd' ? '' : 'lr: 0.1')}` : `schedule: ${param ? call('') : e.name}`;
      return `${model('flatten -> dense(10) -> LIF')}experiment x {\n  model: m  data: mnist  batch: 8  epochs: 1  seed: 1\n  ${e.context === 'optimizer' ? '' : 'optimizer: adam(lr: 0.01)'}\n  ${field}\n}\n`;
    }
    case 'function':
      return undefined;
  }
}

describe('catalog', () => {
  const cases: [string, CatalogEntry, string | undefined][] = [];
  for (const e of CATALOG) {
    if (e.context === 'function') continue;
    cases.push([`${e.context} ${e.name}`, e, undefined]);
    for (const p of e.params) if (p.name !== 'seed' || e.context !== 'signal') cases.push([`${e.context} ${e.name}(${p.name})`, e, p.name]);
  }

  test.each(cases)('%s is accepted by the compiler', (_label, e, param) => {
    const text = source(e, param)!;
    const r = compile(text, { file: 'catalog.snn' });
    const unknown = r.diagnostics.filter((d) => d.code === 'SNN2003' || (d.code === 'SNN2001' && d.message.includes(`\`${e.name}\``)));
    expect(unknown, `${text}\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`).toEqual([]);
  });

  test('every keyword has a hover doc', () => {
    expect(KEYWORDS.filter((k) => KEYWORD_DOCS[k] === undefined)).toEqual([]);
  });

  test('experiment fields are the ones the compiler knows', () => {
    for (const f of EXPERIMENT_FIELDS) {
      const r = compile(`model m(input: [1, 8, 8], steps: 2) {\n  flatten -> dense(10) -> LIF\n}\nexperiment x {\n  model: m  data: mnist  batch: 8  epochs: 1  seed: 1  optimizer: adam(lr: 0.01)\n}\nexperiment y from x { ${f.name}: ${f.name === 'model' ? 'm' : f.name === 'data' ? 'mnist' : f.name === 'normalize' ? 'unit' : f.name === 'target' ? 'onehot' : f.name === 'loss' ? 'mse' : f.name === 'optimizer' ? 'sgd(lr: 0.1)' : f.name === 'schedule' ? 'constant' : '2'} }\n`, { file: 'x.snn' });
      expect(r.diagnostics.filter((d) => d.code === 'SNN6001'), f.name).toEqual([]);
    }
  });

  test('LIF means a trained neuron or an NEF neuron type depending on where it is', () => {
    expect(lookup('LIF').map((e) => e.context).sort()).toEqual(['ensemble', 'neuron']);
    expect(entryMarkdown(lookup('LIF', 'ensemble')[0]!)).toContain('`tau_rc`');
    expect(entryMarkdown(lookup('LIF', 'neuron')[0]!)).toContain('unit: time steps');
  });
});

import { describe, expect, test } from 'vitest';
import { EXAMPLES } from '../files/examples.js';
import { analyze } from './analysis.js';

describe('analysis of the bundled examples', () => {
  test.each([...EXAMPLES.keys()])('%s compiles in the editor with its imports', (path) => {
    const a = analyze(EXAMPLES.get(path)!, path, 1, (p) => EXAMPLES.get(p));
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.program).toBeDefined();
    expect(a.symbols.length).toBeGreaterThan(0);
  });

  test('`use` is resolved against the importing file among the bundled files', () => {
    const files = new Map([['examples/lib/common.snn', 'neuron lif = LIF(tau: 2.0)\n']]);
    const text = 'use "../lib/common.snn"\nmodel m(input: [1, 4, 4], steps: 2) {\n  flatten -> dense(10) -> lif\n}\n';
    const ok = analyze(text, 'examples/nef/x.snn', 1, (p) => files.get(p));
    expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const missing = analyze(text.replace('common', 'absent'), 'examples/nef/x.snn', 2, (p) => files.get(p));
    expect(missing.diagnostics.map((d) => d.code)).toContain('SNN2006');
  });
});

describe('graph models in the editor', () => {
  test('blocks and named results are symbols; merges and block layers have shapes to hover', () => {
    const text = 'block sew(c) {\n  h = conv2d(c, kernel: 3, padding: 1) -> LIF\n  add(x, h)\n}\nmodel m(input: [2, 4, 4], steps: 2) {\n  a = sew(2)\n  flatten -> dense(10) -> LIF\n}\n';
    const r = analyze(text, 'g.snn', 1, () => undefined);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.symbols.filter((s) => s.kind === 'block' || s.kind === 'result').map((s) => `${s.kind} ${s.name}`)).toEqual(['block sew', 'result h', 'result a']);
    const add = r.layers.find((l) => l.id === 'add_0')!;
    expect(text.slice(add.start, add.end)).toBe('add(x, h)');
    expect(add.outShape).toEqual([2, 4, 4]);
  });
});

describe('sizes the page cannot hold', () => {
  test('are refused against the browser budget, not the machine', () => {
    // about 5 GiB of probe data: more than the page's 4 GiB, less than a workstation's memory
    const text = 'network n {\n  input a = 0.5\n  ensemble ens = LIF(n: 30000)\n  connect a -> ens\n  probe ens.spikes\n  run 20s\n}\n';
    const r = analyze(text, 'big.snn', 1, () => undefined);
    expect(r.diagnostics.map((d) => d.code)).toContain('SNN5400');
    expect(r.diagnostics.find((d) => d.code === 'SNN5400')!.message).toContain('4.00 GiB available');
  });
});

import { describe, expect, it } from 'vitest';
import { IR_VERSION } from '@snnc/ir';
import { compile } from './compile.js';
import { codes, compileText } from './test-util.js';

describe('compile', () => {
  it('returns IR only when there are no errors', () => {
    const ok = compileText('neuron a = LIF');
    expect(ok.ir).toMatchObject({ irVersion: IR_VERSION, file: 'main.snn', imports: [] });
    const bad = compileText('neuron a = LIF(tau: 0)');
    expect(bad.ir).toBeUndefined();
    const warned = compileText('model m(input: [2], steps: 1) { dense(2) -> LIF -> dense(2) }');
    expect(warned.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(warned.ir).toBeDefined();
  });

  it('loads imports relative to the importing file, once each, in load order', () => {
    const files = {
      'proj/lib/a.snn': 'use "b.snn"\nneuron a = LIF',
      'proj/lib/b.snn': 'neuron b = IF',
      'proj/c.snn': 'use "lib/b.snn"\nneuron c = PLIF',
    };
    const r = compileText('use "lib/a.snn"\nuse "c.snn"\nmodel m(input: [1], steps: 1) { dense(1) -> a -> dense(1) -> b -> dense(1) -> c }', files, 'proj/main.snn');
    expect(codes(r)).toEqual([]);
    expect(r.ir!.imports).toEqual(['proj/lib/a.snn', 'proj/lib/b.snn', 'proj/c.snn']);
    expect([...r.sources.keys()].sort()).toEqual(['proj/c.snn', 'proj/lib/a.snn', 'proj/lib/b.snn', 'proj/main.snn']);
  });

  it('reports a missing import, an import cycle and a missing readFile', () => {
    expect(codes(compileText('use "nope.snn"'))).toEqual(['SNN2006 cannot read `nope.snn`: no such file']);
    expect(codes(compileText('use "main.snn"'))).toEqual(['SNN2007 import cycle: main.snn -> main.snn']);
    expect(codes(compile('use "x.snn"', { file: 'm.snn' }))).toEqual(['SNN2006 cannot read `x.snn`: imports need a `readFile` function']);
  });

  it('reports errors inside imported files in those files', () => {
    const r = compileText('use "lib.snn"', { 'lib.snn': 'neuron a = LIF(tau: -1)' });
    expect(r.diagnostics.map((d) => [d.code, d.range.file])).toEqual([['SNN3002', 'lib.snn']]);
  });

  it('turns a throwing readFile into a diagnostic', () => {
    const r = compile('use "x.snn"', {
      file: 'm.snn',
      readFile: () => {
        throw new Error('permission denied');
      },
    });
    expect(codes(r)).toEqual(['SNN2006 cannot read `x.snn`: permission denied']);
  });

  it('sorts diagnostics by position', () => {
    const r = compileText('neuron b = LIF(tau: 0)\nneuron a = LIF(tau: 0)');
    expect(r.diagnostics.map((d) => d.range.line)).toEqual([1, 2]);
  });

  it('does not cascade from a definition with a syntax error', () => {
    const r = compileText('model m(input: [1], steps: 1) { dense(1, bias: ) -> LIF }\nexperiment e { model: m }\nsweep s from e { batch: [1, 2] }');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SNN1002']);
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from '../parse.js';
import type { NeuronStatement } from '../ast.js';
import { evalConst, type ConstEnv } from './evaluate.js';
import { Sink } from './sink.js';

function run(src: string, names: Record<string, number> = {}) {
  const ast = parse(`neuron n = ${src}`, { file: 'f.snn' }).ast!;
  const sink = new Sink();
  const env: ConstEnv = { names: new Map(Object.entries(names)), what: 'parameter' };
  const q = evalConst((ast.statements[0] as NeuronStatement).value!, env, sink, 'p');
  return { q, codes: sink.diagnostics.map((d) => `${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}` ) };
}

describe('constant evaluation', () => {
  it('does arithmetic with parameters and built-ins', () => {
    expect(run('conv / 4 + sqrt(16) * 2 ^ 2', { conv: 128 }).q).toEqual({ value: 48, dim: null });
    expect(run('max(1, 7, 3) % 4').q?.value).toBe(3);
    expect(run('-pi').q?.value).toBeCloseTo(-Math.PI);
  });

  it('converts units to seconds and hertz and keeps the dimension', () => {
    expect(run('5ms').q).toEqual({ value: 0.005, dim: 'time', unit: 'ms' });
    expect(run('1kHz').q).toEqual({ value: 1000, dim: 'rate', unit: 'kHz' });
    expect(run('100us * 2').q?.value).toBeCloseTo(2e-4);
    expect(run('1 / 10ms').q).toMatchObject({ value: 100, dim: 'rate' });
    expect(run('100ms * 10Hz').q).toEqual({ value: 1, dim: null });
    expect(run('1s + 500ms').q).toMatchObject({ value: 1.5, dim: 'time' });
  });

  it('rejects mixed units', () => {
    expect(run('1s + 1Hz').codes).toEqual(['SNN3007 cannot combine `s` and `Hz` with `+`']);
    expect(run('2ms ^ 2').codes[0]).toMatch(/^SNN3007/);
  });

  it('says `t` and `x` are not constants', () => {
    expect(run('2 * t').codes).toEqual(['SNN3006 `p` must be a constant, not an expression of `t`']);
  });

  it('suggests a close parameter name', () => {
    expect(run('cnv / 2', { conv: 4 }).codes).toEqual(['SNN2001 unknown parameter `cnv` (did you mean `conv`?)']);
  });

  it('rejects values that are not numbers', () => {
    expect(run('"a"').codes).toEqual(['SNN3001 `p` expects a number but got a string']);
    expect(run('[1, 2]').codes).toEqual(['SNN3001 `p` expects a number but got a list']);
    expect(run('adam(lr: 1)').codes).toEqual(['SNN3001 `p` expects a number but got `adam(...)`']);
  });

  it('checks built-in arity', () => {
    expect(run('sqrt(1, 2)').codes).toEqual(['SNN5007 `sqrt` takes 1 argument(s), got 2']);
    expect(run('min()').codes).toEqual(['SNN5007 `min` takes 1 or more argument(s), got 0']);
    expect(run('clip(2, 0)').codes).toEqual(['SNN5007 `clip` takes 3 argument(s), got 2']);
  });
});

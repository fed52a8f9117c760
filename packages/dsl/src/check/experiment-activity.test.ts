import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

const MODEL = 'model mlp(input: [784], steps: 4) { dense(100) -> LIF -> dense(10) -> LIF }\n';

describe('experiment fields init, energy, regularize', () => {
  it('leaves them out of the IR when absent (defaults: pytorch, horowitz45_fp32, none)', () => {
    const e = compileText(`${MODEL}experiment e { model: mlp }`).ir!.experiments[0]!;
    expect(e.model.init).toBeUndefined();
    expect(e.energy).toBeUndefined();
    expect(e.rateReg).toBeUndefined();
  });

  it('keeps written defaults out of the IR, like absent fields', () => {
    const e = compileText(`${MODEL}experiment e { model: mlp  init: pytorch(gain: 1)  energy: horowitz45_fp32 }`).ir!.experiments[0]!;
    expect(e.model.init).toBeUndefined();
    expect(e.energy).toBeUndefined();
  });

  it('reads named and custom cost tables, schemes with default gains, and the rate penalty', () => {
    const r = compileText(
      `${MODEL}experiment a { model: mlp  init: kaiming  energy: horowitz45_fp16  regularize: firing_rate(target: 0.05, weight: 0.1) }\n` +
        `experiment b from a { init: xavier(2)  energy: custom(mac: 3.1, ac: 0.1)  regularize.weight: 0 }`,
    );
    expect(codes(r)).toEqual([]);
    const [a, b] = r.ir!.experiments;
    expect(a!.model.init).toEqual({ scheme: 'kaiming', gain: Math.SQRT2 });
    expect(a!.energy).toEqual({ name: 'horowitz45_fp16', macPj: 1.5, acPj: 0.4 });
    expect(a!.rateReg).toEqual({ target: 0.05, weight: 0.1 });
    expect(b!.model.init).toEqual({ scheme: 'xavier', gain: 2 });
    expect(b!.energy).toEqual({ name: 'custom', macPj: 3.1, acPj: 0.1 });
    // weight 0 switches the term off
    expect(b!.rateReg).toBeUndefined();
  });

  it('sweeps the gain and the table', () => {
    const r = compileText(`${MODEL}experiment a { model: mlp }\nsweep s from a { init.gain: [0.5, 2]  energy: [horowitz45_fp32, horowitz45_int8] }`);
    expect(codes(r)).toEqual([]);
    const pts = r.ir!.sweeps[0]!.points;
    expect(pts.map((p) => [p.experiment.model.init?.gain, p.experiment.energy?.name ?? 'default'])).toEqual([
      [0.5, 'default'],
      [0.5, 'horowitz45_int8'],
      [2, 'default'],
      [2, 'horowitz45_int8'],
    ]);
  });

  it('reports unknown tables, missing costs and out-of-range values with located codes', () => {
    const only = (text: string) => codes(compileText(`${MODEL}experiment a { model: mlp  ${text} }`)).map((c) => c.split(' ')[0]);
    expect(compileText(`${MODEL}experiment a { model: mlp  energy: horowitz45_fp64 }`).diagnostics[0]!.hint).toContain('horowitz45_fp32');
    expect(only('energy: horowitz45_fp64')).toEqual(['SNN3003']);
    expect(only('energy: custom(mac: 1)')).toEqual(['SNN2004']);
    expect(only('regularize: firing_rate(target: 2, weight: 1)')).toEqual(['SNN3002']);
    expect(only('init: kaiming(gain: -1)')).toEqual(['SNN3002']);
    expect(only('init: he')).toEqual(['SNN3003']);
  });
});

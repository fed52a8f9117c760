import { describe, expect, it } from 'vitest';
import { codes, compileText } from '../test-util.js';

describe('neurons', () => {
  it('fills every default', () => {
    const r = compileText('neuron a = LIF\nneuron b = IF\nneuron c = ALIF(3)');
    expect(r.ir!.neurons).toEqual([
      { kind: 'lif', name: 'a', threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate: { kind: 'atan', alpha: 2 }, tau: 2, decayInput: true, range: expect.anything() },
      { kind: 'if', name: 'b', threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate: { kind: 'atan', alpha: 2 }, range: expect.anything() },
      { kind: 'alif', name: 'c', threshold: 1, reset: 'hard', resetValue: 0, detachReset: false, surrogate: { kind: 'atan', alpha: 2 }, tau: 3, decayInput: true, tauAdapt: 20, beta: 0.2, range: expect.anything() },
    ]);
  });

  it.each([
    ['atan', 2],
    ['sigmoid', 4],
    ['fast_sigmoid', 25],
    ['triangle', 0.3],
    ['piecewise_quadratic', 1],
  ])('gives surrogate %s its documented alpha %d', (kind, alpha) => {
    const r = compileText(`neuron a = PLIF(surrogate: ${kind})`);
    expect(r.ir!.neurons[0]!.surrogate).toEqual({ kind, alpha });
  });

  it('reads reset: soft and a hard reset value', () => {
    const r = compileText('neuron a = IF(reset: soft)\nneuron b = IF(reset: -0.5)');
    expect(r.ir!.neurons.map((n) => (n.kind === 'equations' ? [n.kind] : [n.reset, n.resetValue]))).toEqual([
      ['soft', 0],
      ['hard', -0.5],
    ]);
  });

  it('keeps tau in steps: a time unit is an error', () => {
    expect(codes(compileText('neuron a = LIF(tau: 20ms)'))).toEqual(['SNN3005 `tau` takes a plain number, not `ms`']);
    expect(codes(compileText('neuron a = LIF(tau: 1)'))).toEqual(['SNN3002 `tau` must be a number > 1, got 1']);
  });

  it('rejects parameters of other kinds and unknown kinds', () => {
    expect(codes(compileText('neuron a = IF(tau: 2)'))).toEqual(['SNN2003 IF has no parameter `tau`']);
    expect(codes(compileText('neuron a = LFI'))).toEqual(['SNN3003 `neuron` must be one of `LIF`, `IF`, `PLIF`, `ALIF`, `CubaLIF`, `LI`, `Integrator`, `LIFRefractory`, `Izhikevich`, `AdEx`, `ResonateAndFire`, got `LFI`']);
    expect(codes(compileText('neuron a = IF(reset: hard)'))[0]).toMatch(/^SNN3001 `reset` expects a number \(hard reset to that value\) or `soft`/);
  });

  it('uses a neuron defined in an imported file', () => {
    const r = compileText('use "lib.snn"\nmodel m(input: [2], steps: 1) { dense(1) -> fast }', { 'lib.snn': 'neuron fast = LIF(tau: 1.5)' });
    expect(codes(r)).toEqual([]);
    expect(r.ir!.models[0]!.layers[1]).toMatchObject({ kind: 'neuron', neuron: { name: 'fast', tau: 1.5 } });
    expect(r.ir!.neurons).toEqual([]);
    expect(r.ir!.imports).toEqual(['lib.snn']);
  });
});

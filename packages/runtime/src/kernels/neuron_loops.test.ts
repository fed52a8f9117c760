import { Random } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { neuronForward, neuronForwardGeneric, type FusedNeuronConfig } from './neuron_loops.js';

describe('fused neuron loops', () => {
  it.each([false, true])('the LIF hard-reset-to-0 fast path equals the generic loop bit for bit (static input: %s)', (staticInput) => {
    const rng = new Random(3);
    const T = 5;
    const n = 257;
    const x = Float32Array.from({ length: staticInput ? n : T * n }, () => rng.uniform(-1, 3));
    const cfg: FusedNeuronConfig = {
      steps: T, charge: 'lif', invTau: 1 / 3, decayInput: true, threshold: 0.9, reset: 'hard', vReset: 0,
      detachReset: false, surrogate: { kind: 'atan', alpha: 2 }, staticInput,
    };
    const a = { s: new Float32Array(T * n), h: new Float32Array(T * n) };
    const b = { s: new Float32Array(T * n), h: new Float32Array(T * n) };
    neuronForward(x, a.s, a.h, cfg);
    neuronForwardGeneric(x, b.s, b.h, cfg);
    expect(Array.from(a.s)).toEqual(Array.from(b.s));
    expect(Array.from(a.h)).toEqual(Array.from(b.h));
    expect(a.s.some((v) => v === 1)).toBe(true);
    expect(a.s.some((v) => v === 0)).toBe(true);
  });

  it('rejects inputs whose size does not fit T', () => {
    const cfg: FusedNeuronConfig = {
      steps: 3, charge: 'if', invTau: 0, decayInput: false, threshold: 1, reset: 'soft', vReset: 0,
      detachReset: true, surrogate: { kind: 'triangle', alpha: 0.3 },
    };
    expect(() => neuronForward(new Float32Array(5), new Float32Array(5), new Float32Array(5), cfg)).toThrow(/divisible by T=3/);
    expect(() => neuronForward(new Float32Array(4), new Float32Array(6), new Float32Array(6), cfg)).toThrow(/expected 6/);
  });
});

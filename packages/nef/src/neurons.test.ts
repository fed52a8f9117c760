import { describe, expect, it } from 'vitest';
import type { NefNeuron } from '@snnc/ir';
import { activities, evalPointCount, sampleEnsemble } from './build.js';
import { ensemble } from './ir-builders.js';
import { gainBias, makeNeuronStep, rateOf } from './neurons.js';

const lif: NefNeuron = { kind: 'lif', tauRc: 0.02, tauRef: 0.002, minVoltage: 0 };

describe('LIF rate model', () => {
  it('matches the closed form 1 / (tau_ref + tau_rc ln(1 + 1/(J - 1)))', () => {
    for (const j of [1.01, 1.5, 2, 5, 20]) {
      expect(rateOf(lif, j)).toBeCloseTo(1 / (0.002 + 0.02 * Math.log(1 + 1 / (j - 1))), 9);
    }
    expect(rateOf(lif, 1)).toBe(0);
    expect(rateOf(lif, 0.3)).toBe(0);
  });

  it('gain and bias give the max rate at x = 1 and the threshold at the intercept', () => {
    const maxRates = Float64Array.of(200, 300, 400);
    const intercepts = Float64Array.of(-0.5, 0, 0.8);
    const { gain, bias } = gainBias(lif, maxRates, intercepts);
    for (let i = 0; i < 3; i++) {
      expect(rateOf(lif, gain[i]! + bias[i]!)).toBeCloseTo(maxRates[i]!, 6);
      expect(gain[i]! * intercepts[i]! + bias[i]!).toBeCloseTo(1, 12);
    }
  });
});

describe('tuning curves of a built ensemble', () => {
  it.each([
    ['lif', lif],
    ['relu', { kind: 'relu', amplitude: 1 } as NefNeuron],
  ])('%s: max rate at the radius, zero at the intercept', (_name, neuron) => {
    const e = sampleEnsemble(ensemble('A', 50, { dims: 2, radius: 2.5, neuron }), 7);
    const d = 2;
    const at = (scale: (i: number) => number): Float64Array[] =>
      Array.from({ length: e.n }, (_, i) => {
        const p = Float64Array.of(e.encoders[i * d]! * scale(i), e.encoders[i * d + 1]! * scale(i));
        return activities(e, p);
      }).map((a, i) => a.subarray(i, i + 1));
    const top = at(() => e.radius);
    // just below the intercept (at it, J = 1 up to rounding, where the LIF rate is ~1 Hz)
    const atIntercept = at((i) => (e.intercepts[i]! - 1e-9) * e.radius);
    const above = at((i) => (e.intercepts[i]! + 0.05) * e.radius);
    for (let i = 0; i < e.n; i++) {
      expect(top[i]![0]).toBeCloseTo(e.maxRates[i]!, 6);
      expect(atIntercept[i]![0]).toBe(0);
      expect(above[i]![0]).toBeGreaterThan(0);
      expect(e.maxRates[i]).toBeGreaterThanOrEqual(200);
      expect(e.maxRates[i]).toBeLessThanOrEqual(400);
      expect(e.intercepts[i]).toBeGreaterThanOrEqual(-1);
      expect(e.intercepts[i]).toBeLessThanOrEqual(0.9);
    }
  });
});

function spikeRate(neuron: NefNeuron, j: number, seconds: number, dt = 0.001): number {
  const step = makeNeuronStep(neuron, dt);
  const J = Float64Array.of(j);
  const out = new Float64Array(1);
  const state = { voltage: Float64Array.of(0.5), refractory: new Float64Array(1) };
  const active = new Int32Array(1);
  let spikes = 0;
  const steps = Math.round(seconds / dt);
  for (let s = 0; s < steps; s++) {
    step(J, out, state, active);
    spikes += out[0]! * dt;
  }
  return spikes / seconds;
}

describe('spiking neurons', () => {
  it('LIF mean rate over 1 s matches the rate model within 2%', () => {
    for (const j of [1.2, 1.5, 2, 3, 6, 12]) {
      const expected = rateOf(lif, j);
      expect(Math.abs(spikeRate(lif, j, 1) - expected)).toBeLessThan(0.02 * expected + 1);
    }
  });

  it('LIF below threshold never spikes and its voltage settles at J', () => {
    const step = makeNeuronStep(lif, 0.001);
    const state = { voltage: Float64Array.of(0.9), refractory: new Float64Array(1) };
    const out = new Float64Array(1);
    for (let s = 0; s < 500; s++) {
      expect(step(Float64Array.of(0.7), out, state, new Int32Array(1))).toBe(0);
    }
    expect(state.voltage[0]).toBeCloseTo(0.7, 6);
  });

  it('SpikingRectifiedLinear fires amplitude * J on average and LIFRate outputs the rate', () => {
    const srelu: NefNeuron = { kind: 'spiking_relu', amplitude: 1 };
    expect(spikeRate(srelu, 137, 1)).toBeCloseTo(137, -0.5);
    const step = makeNeuronStep({ kind: 'lif_rate', tauRc: 0.02, tauRef: 0.002 }, 0.001);
    const out = new Float64Array(2);
    const active = new Int32Array(2);
    expect(step(Float64Array.of(2, 0.5), out, { voltage: new Float64Array(2), refractory: new Float64Array(2) }, active)).toBe(1);
    expect(out[0]).toBeCloseTo(rateOf(lif, 2), 9);
    expect(out[1]).toBe(0);
  });
});

describe('evaluation point counts', () => {
  it('nengo: max(clip(500 d, 750, 2500), 2 n); economy drops the 2 n floor', () => {
    expect(evalPointCount(100, 1, 'nengo')).toBe(750);
    expect(evalPointCount(1000, 1, 'nengo')).toBe(2000);
    expect(evalPointCount(10000, 1, 'nengo')).toBe(20000);
    expect(evalPointCount(200, 3, 'nengo')).toBe(1500);
    expect(evalPointCount(100, 1)).toBe(750);
    expect(evalPointCount(750, 1)).toBe(750);
    expect(evalPointCount(751, 1)).toBe(500);
    expect(evalPointCount(10000, 1)).toBe(500);
    expect(evalPointCount(220, 2)).toBe(1000);
    expect(evalPointCount(5000, 2)).toBe(1000);
    expect(evalPointCount(5000, 9)).toBe(2500);
    expect(evalPointCount(10, 4, { count: 123 })).toBe(123);
    expect(() => evalPointCount(10, 1, { count: 0 })).toThrow(/positive integer/);
  });
});


import { simulateNeuron, type EquationNeuron, type Expr } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { curveRate, equationGainBias, equationStep, rateCurve, simulatedRate } from './neuron-equations.js';
import { gainBias, rateOf } from './neurons.js';

const n = (value: number): Expr => ({ kind: 'num', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const bin = (op: '-' | '/', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

/** An exactly integrated LIF with Nengo's defaults (tau_rc 20 ms, tau_ref 2 ms, threshold 1), as a definition. */
function lifDefinition(dt: number): EquationNeuron {
  return {
    kind: 'equations',
    name: 'ens',
    definition: 'LIFRefractory',
    params: { tau: 0.02 },
    input: 'x',
    state: [{ name: 'v', init: n(0) }],
    scheme: 'exact',
    dt,
    equations: [{ target: 'v', form: 'ode', rhs: bin('/', bin('-', v('x'), v('v')), v('tau')) }],
    spike: { left: v('v'), op: '>=', right: n(1) },
    reset: [{ target: 'v', value: n(0) }],
    refractory: { unit: 'seconds', value: 0.002 },
    surrogate: { kind: 'atan', alpha: 2 },
    detachReset: false,
  };
}

const LIF = { kind: 'lif' as const, tauRc: 0.02, tauRef: 0.002, minVoltage: 0 };

describe('NEF ensembles of neurons from definitions', () => {
  it('estimates the rate curve by simulation: an exact LIF at dt 0.1 ms is close to the LIF closed form', () => {
    const def = lifDefinition(1e-4);
    const curve = rateCurve(def, 200);
    expect(curve.threshold).toBeGreaterThan(0.99);
    expect(curve.threshold).toBeLessThan(1.01);
    for (const j of [1.5, 2, 4]) {
      const closed = rateOf(LIF, j);
      // spikes fall on the step grid: the discrete neuron is a little slower than the closed form
      expect(Math.abs(curveRate(curve, j) - closed)).toBeLessThan(0.06 * closed);
    }
  });

  it('solves gains and biases on the curve: x = 1 fires at max_rates, the intercept at threshold', () => {
    // at dt 0.1 ms interspike intervals are fine enough for rates to land within 3 % (at 1 ms
    // they come in steps of 1000/k Hz: 142.9, 166.7, ...)
    const def = lifDefinition(1e-4);
    const maxRates = new Float64Array([80, 150]);
    const intercepts = new Float64Array([-0.3, 0.4]);
    const { gain, bias } = equationGainBias(def, maxRates, intercepts);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(simulatedRate(def, gain[i]! + bias[i]!) - maxRates[i]!)).toBeLessThan(0.03 * maxRates[i]!);
      expect(simulatedRate(def, gain[i]! * intercepts[i]! + bias[i]! - 0.01)).toBe(0);
    }
    expect(gainBias({ kind: 'equations', neuron: def }, maxRates, intercepts)).toEqual({ gain, bias });
  });

  it('steps a population exactly as the scalar simulator, and starts over after a reset', () => {
    const def = lifDefinition(1e-3);
    const step = equationStep(def, 1e-3);
    const j = new Float64Array([1.2, 2, 3.5]);
    const out = new Float64Array(3);
    const st = { voltage: new Float64Array(3), refractory: new Float64Array(3) };
    const active = new Int32Array(3);
    const spikes: number[][] = [[], [], []];
    for (let k = 0; k < 300; k++) {
      step(j, out, st, active);
      out.forEach((o, i) => spikes[i]!.push(o > 0 ? 1 : 0));
      expect(out.every((o) => o === 0 || o === 1000)).toBe(true);
    }
    j.forEach((ji, i) => expect(spikes[i]).toEqual([...simulateNeuron(def, new Array<number>(300).fill(ji)).spikes]));
    st.refractory.fill(0); // what the simulator's reset does
    step(j, out, st, active);
    expect(st.voltage[0]).toBeCloseTo(simulateNeuron(def, [1.2]).state['v']![0]!, 12);
  });

  it('refuses max rates the neuron cannot reach, as a located SNN5103', () => {
    const def = { ...lifDefinition(1e-3), range: { file: 'n.snn', start: 0, end: 3, line: 2, column: 3, endLine: 2, endColumn: 6 } };
    expect(() => rateCurve(def, 400)).toThrow(/SNN5103|cannot be met/);
    try {
      rateCurve(def, 400);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('SNN5103');
      expect((e as Error).message).toMatch(/reach at most 333 Hz/);
    }
  });
});

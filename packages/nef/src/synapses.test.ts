import { describe, expect, it } from 'vitest';
import { discretize, expm, FilterState, lowpassDecay } from './synapses.js';

const dt = 0.001;

function impulse(f: FilterState, steps: number): number[] {
  const out: number[] = [];
  for (let n = 0; n < steps; n++) {
    f.step([n === 0 ? 1 / dt : 0]);
    out.push(f.output[0]!);
  }
  return out;
}

describe('synapses', () => {
  it('expm agrees with the closed form of a rotation generator', () => {
    const w = 3;
    const e = expm(Float64Array.of(0, -w, w, 0), 2);
    expect(e[0]).toBeCloseTo(Math.cos(w), 12);
    expect(e[1]).toBeCloseTo(-Math.sin(w), 12);
    expect(e[2]).toBeCloseTo(Math.sin(w), 12);
  });

  it('lowpass: y[n] = a y[n-1] + (1 - a) u[n], a = exp(-dt / tau)', () => {
    const a = lowpassDecay(0.01, dt);
    const f = FilterState.of({ kind: 'lowpass', tau: 0.01 }, dt, 1);
    f.step([1]);
    expect(f.output[0]).toBe(1 - a);
    f.step([1]);
    expect(f.output[0]).toBe(a * (1 - a) + (1 - a));
  });

  it('linear_filter([1], [tau, 1]) is the lowpass', () => {
    const lp = impulse(FilterState.of({ kind: 'lowpass', tau: 0.02 }, dt, 1), 50);
    const lf = impulse(FilterState.of({ kind: 'linear_filter', num: [1], den: [0.02, 1] }, dt, 1), 50);
    for (let i = 0; i < 50; i++) expect(lf[i]).toBeCloseTo(lp[i]!, 10);
  });

  it("alpha's impulse response follows (t / tau^2) exp(-t / tau) and integrates to 1", () => {
    const tau = 0.005;
    const y = impulse(FilterState.of({ kind: 'alpha', tau }, dt, 1), 400);
    // the zero-order-hold response to a one-step pulse of area 1, sampled at the end of each step
    const exact = (t: number) => 1 - (1 + t / tau) * Math.exp(-t / tau);
    for (let n = 1; n < 400; n++) {
      const t = (n + 1) * dt;
      const held = (exact(t) - exact(t - dt)) / dt;
      expect(y[n]).toBeCloseTo(held, 6);
    }
    expect(y.reduce((s, v) => s + v, 0) * dt).toBeCloseTo(1, 6);
    // the peak is near t = tau, as the continuous alpha function's
    const peak = y.indexOf(Math.max(...y));
    expect(Math.abs((peak + 1) * dt - tau)).toBeLessThanOrEqual(dt);
  });

  it('a pure gain has no state', () => {
    const d = discretize({ kind: 'linear_filter', num: [2], den: [1] }, dt);
    expect(d.order).toBe(0);
    const f = FilterState.of({ kind: 'linear_filter', num: [2], den: [1] }, dt, 2);
    f.step([1, -3]);
    expect([...f.output]).toEqual([2, -6]);
  });

  it('rejects improper filters', () => {
    expect(() => discretize({ kind: 'linear_filter', num: [1, 0, 0], den: [1, 1] }, dt)).toThrow(/proper/);
  });
});

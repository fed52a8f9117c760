import { describe, expect, it } from 'vitest';
import type { LearningRule } from '@snnc/ir';
import { makeRule } from './learning.js';

// Each rule's update over a few steps against the equations written out by hand (Nengo 4.1,
// builder/learning_rules.py). A rule reads the activities of the previous step (through its
// synapses), so the first apply() changes nothing and the second uses step 1's activities.
const dt = 0.001;
const none = null;

function rule(r: LearningRule, parts: { weights: number[]; width: number; pre?: number[]; post?: number[]; signal?: number[]; delivered?: number[]; scale?: number[] }) {
  const weights = Float64Array.from(parts.weights);
  const preOut = parts.pre ? Float64Array.from(parts.pre) : null;
  const postOut = parts.post ? Float64Array.from(parts.post) : null;
  const signal = Float64Array.from(parts.signal ?? []);
  const rt = makeRule({
    rule: r,
    dt,
    weights,
    width: parts.width,
    preOut,
    postOut,
    signal,
    delivered: parts.delivered ? Float64Array.from(parts.delivered) : null,
    encoderScale: parts.scale ? Float64Array.from(parts.scale) : null,
  });
  return { rt, weights, preOut, postOut, signal };
}

describe('learning rules', () => {
  it('PES: dD[i, o] = -rate dt / n_pre e[o] a_pre[i]', () => {
    // two pre neurons, two decoded dimensions; neuron 0 spikes (1/dt = 1000 Hz) in step 1
    const r = rule({ kind: 'pes', learningRate: 1, preSynapse: none }, { weights: [0, 0, 0, 0], width: 2, pre: [1000, 0], signal: [0.5, -1] });
    r.rt.apply();
    expect([...r.weights]).toEqual([0, 0, 0, 0]);
    r.rt.apply();
    // alpha = -1 * 0.001 / 2 = -5e-4; e = [0.5, -1]; a_pre = [1000, 0]
    expect([...r.weights]).toEqual([-0.25, 0.5, 0, 0]);
    r.preOut!.fill(0);
    r.rt.apply();
    expect([...r.weights]).toEqual([-0.5, 1, 0, 0]);
    r.rt.apply();
    expect([...r.weights]).toEqual([-0.5, 1, 0, 0]);
  });

  it('PES filters the pre activities with its pre synapse', () => {
    const tau = 0.005;
    const a = Math.exp(-dt / tau);
    const r = rule({ kind: 'pes', learningRate: 1e-4, preSynapse: { kind: 'lowpass', tau } }, { weights: [0.1], width: 1, pre: [1000], signal: [2] });
    r.rt.apply(); // filter state 0 -> (1 - a) 1000
    r.rt.apply(); // uses (1 - a) 1000, then the filter moves to a (1 - a) 1000 + (1 - a) 1000
    const f1 = (1 - a) * 1000;
    const f2 = a * f1 + (1 - a) * 1000;
    r.rt.apply();
    const expected = 0.1 - 1e-4 * dt * 2 * (f1 + f2);
    expect(r.weights[0]).toBeCloseTo(expected, 15);
  });

  it('BCM: dW[j, i] = rate dt a_post[j] (a_post[j] - theta[j]) a_pre[i], theta the slowly filtered post', () => {
    const thetaTau = 1;
    const at = Math.exp(-dt / thetaTau);
    // 2 pre x 1 post, rows pre-major: weight from pre i to post j at i * 1 + j
    const r = rule({ kind: 'bcm', learningRate: 1e-6, preSynapse: none, postSynapse: none, thetaSynapse: { kind: 'lowpass', tau: thetaTau } }, { weights: [0.5, 0.25], width: 1, pre: [10, 20], post: [30] });
    r.rt.apply();
    expect([...r.weights]).toEqual([0.5, 0.25]);
    r.rt.apply();
    const theta = (1 - at) * 30;
    const k = 1e-6 * dt * 30 * (30 - theta);
    expect(r.weights[0]).toBeCloseTo(0.5 + k * 10, 15);
    expect(r.weights[1]).toBeCloseTo(0.25 + k * 20, 15);
  });

  it('Oja: dW[j, i] = rate dt (a_post[j] a_pre[i] - beta a_post[j]^2 W[j, i])', () => {
    // 1 pre x 2 post: rows[0] = [W[0, 0], W[1, 0]]
    const r = rule({ kind: 'oja', learningRate: 1e-3, preSynapse: none, postSynapse: none, beta: 2 }, { weights: [0.5, -1], width: 2, pre: [4], post: [3, 0] });
    r.rt.apply();
    r.rt.apply();
    const alpha = 1e-3 * dt;
    expect(r.weights[0]).toBeCloseTo(0.5 + alpha * (3 * 4 - 2 * 9 * 0.5), 15);
    expect(r.weights[1]).toBe(-1); // a silent post neuron neither learns nor forgets
  });

  it('Voja: dE[j] = rate dt s (scale[j] a_post[j] x - a_post[j] E[j]), s the learning signal', () => {
    // 2 post neurons, 2-D: scaled encoders E (n x d)
    const r = rule({ kind: 'voja', learningRate: 0.5, postSynapse: none }, { weights: [1, 0, 0, 2], width: 2, post: [100, 0], signal: [1], delivered: [0.3, -0.4], scale: [2, 3] });
    r.rt.apply();
    r.rt.apply();
    const alpha = 0.5 * dt * 1;
    expect(r.weights[0]).toBeCloseTo(1 + alpha * 100 * (2 * 0.3 - 1), 15);
    expect(r.weights[1]).toBeCloseTo(0 + alpha * 100 * (2 * -0.4 - 0), 15);
    expect([r.weights[2], r.weights[3]]).toEqual([0, 2]);
    // a learning signal of 0 stops learning
    r.signal[0] = 0;
    const before = [...r.weights];
    r.rt.apply();
    expect([...r.weights]).toEqual(before);
  });

  it('reset clears the rule filters', () => {
    const r = rule({ kind: 'pes', learningRate: 1, preSynapse: none }, { weights: [0], width: 1, pre: [1000], signal: [1] });
    r.rt.apply();
    r.rt.reset();
    r.rt.apply();
    expect(r.weights[0]).toBe(0);
  });
});

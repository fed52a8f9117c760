import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { lifDef, neuronDef } from '../__tests__/models.js';
import { constant, runNeuron } from '../__tests__/run_neuron.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const col = (m: number[][]) => m.map((r) => r[0]);

describe('ALIF', () => {
  it('raises the threshold after each spike and lets it relax (hand-computed)', () => {
    // tau 2, input 1.5, beta 0.5, tauAdapt 2 (a halves per step):
    // t0 a=0    thr 1      H .75    -> 0
    // t1 a=0    thr 1      H 1.125  -> 1, V 0
    // t2 a=1    thr 1.5    H .75    -> 0
    // t3 a=.5   thr 1.25   H 1.125  -> 0
    // t4 a=.25  thr 1.125  H 1.3125 -> 1, V 0
    // t5 a=1.125 thr 1.5625 H .75   -> 0
    const { spikes, membrane } = runNeuron(neuronDef('alif', { beta: 0.5, tauAdapt: 2 }), constant(1.5, 6));
    expect(col(spikes)).toEqual([0, 1, 0, 0, 1, 0]);
    expect(col(membrane!)).toEqual([0.75, 1.125, 0.75, 1.125, 1.3125, 0.75]);
  });

  it('with beta 0 it is a LIF', () => {
    const a = runNeuron(neuronDef('alif', { beta: 0 }), constant(1.5, 6));
    const b = runNeuron(lifDef(), constant(1.5, 6));
    expect(a.spikes).toEqual(b.spikes);
  });

  it('soft reset subtracts the adapted threshold', () => {
    // input 3, beta 1, tauAdapt 2: t0 thr 1 H 1.5 -> s, V .5; t1 a=1 thr 2 H 1.75 -> 0; t2 a=.5 thr 1.5 H 2.375 -> s, V .875
    const { spikes, membrane } = runNeuron(neuronDef('alif', { beta: 1, tauAdapt: 2, reset: 'soft' }), constant(3, 4));
    expect(col(spikes).slice(0, 3)).toEqual([1, 0, 1]);
    expect(col(membrane!).slice(0, 3)).toEqual([1.5, 1.75, 2.375]);
    // t3: a = .25 + 1 = 1.25, thr 2.25; H = .875 + (3 - .875)/2 = 1.9375 -> 0
    expect(col(spikes)[3]).toBe(0);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { lifDef } from '../__tests__/models.js';
import { constant, runNeuron } from '../__tests__/run_neuron.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const col = (m: number[][]) => m.map((r) => r[0]);

describe('LIF', () => {
  it('constant 1.5 into tau 2 spikes 0,1,0,1,0,1 (RESULTS.md unit check)', () => {
    for (const impl of ['composed', 'fused'] as const) {
      const { spikes, membrane } = runNeuron(lifDef(), constant(1.5, 6), impl);
      expect(col(spikes)).toEqual([0, 1, 0, 1, 0, 1]);
      if (membrane) expect(col(membrane)).toEqual([0.75, 1.125, 0.75, 1.125, 0.75, 1.125]);
    }
  });

  it('leaks towards and resets to v_reset', () => {
    // V0 = -0.5; H = V + (2 - (V + 0.5)) / 2: 0.5, 1.0 (spike, back to -0.5), 0.5, 1.0
    const { spikes, membrane } = runNeuron(lifDef({ resetValue: -0.5 }), constant(2, 4));
    expect(col(spikes)).toEqual([0, 1, 0, 1]);
    expect(col(membrane!)).toEqual([0.5, 1, 0.5, 1]);
  });

  it('without decay_input adds the input undivided', () => {
    // H = V - V/2 + 0.6: 0.6, 0.9, 1.05 (spike), 0.6, 0.9, 1.05
    const { spikes, membrane } = runNeuron(lifDef({ decayInput: false }), constant(0.6, 6));
    expect(col(spikes)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(col(membrane!)[2]).toBeCloseTo(1.05, 6);
  });

  it('soft reset subtracts the threshold', () => {
    // tau 2, input 3: H 1.5 (s, V .5), 1.75 (s, V .75), 1.875 (s, V .875), 1.9375 (s)
    const { spikes, membrane } = runNeuron(lifDef({ reset: 'soft' }), constant(3, 4));
    expect(col(spikes)).toEqual([1, 1, 1, 1]);
    expect(col(membrane!)).toEqual([1.5, 1.75, 1.875, 1.9375]);
  });

  it('larger tau leaks less per step', () => {
    // tau 4: H = V + (1.5 - V)/4: 0.375, 0.65625, 0.8671875, 1.025390625 (s)
    const { spikes } = runNeuron(lifDef({ tau: 4 }), constant(1.5, 5));
    expect(col(spikes)).toEqual([0, 0, 0, 1, 0]);
  });
});

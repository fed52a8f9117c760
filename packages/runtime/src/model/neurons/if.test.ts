import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { neuronDef } from '../__tests__/models.js';
import { constant, runNeuron } from '../__tests__/run_neuron.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const col = (m: number[][]) => m.map((r) => r[0]);

describe('IF', () => {
  it('integrates without leak; hard reset', () => {
    // 0.75, 1.5 (s, V 0), 0.75, 1.5 (s), ...
    for (const impl of ['composed', 'fused'] as const) {
      expect(col(runNeuron(neuronDef('if'), constant(0.75, 6), impl).spikes)).toEqual([0, 1, 0, 1, 0, 1]);
    }
  });

  it('soft reset keeps the excess: 0.75, 1.5 (s), 1.25 (s), 1.0 (s), 0.75, 1.5 (s)', () => {
    const { spikes, membrane } = runNeuron(neuronDef('if', { reset: 'soft' }), constant(0.75, 6));
    expect(col(spikes)).toEqual([0, 1, 1, 1, 0, 1]);
    expect(col(membrane!)).toEqual([0.75, 1.5, 1.25, 1.0, 0.75, 1.5]);
  });

  it('fires at exactly the threshold (H(0) = 1) and never below', () => {
    expect(col(runNeuron(neuronDef('if'), constant(0.5, 4)).spikes)).toEqual([0, 1, 0, 1]);
    expect(col(runNeuron(neuronDef('if', { threshold: 2 }), constant(0.5, 3)).spikes)).toEqual([0, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { makeModel, neuronDef } from '../../model/__tests__/models.js';
import type { ActivityCounts, LayerCounts } from './collector.js';
import { planActivity } from './plan.js';
import { ActivityWatch, formatRates } from './watch.js';

const model = makeModel([4], 2, [{ kind: 'dense', units: 3 }, { kind: 'neuron', neuron: neuronDef('if') }, { kind: 'dense', units: 2 }, { kind: 'neuron', neuron: neuronDef('if') }]);

/** Cumulative counts: `hidden` and `output` spikes per neuron after `samples` samples. */
function counts(samples: number, hidden: number[], output: number[]): ActivityCounts {
  const none: LayerCounts = { spikes: null, synops: 0, macs: 0, stateUpdates: 0 };
  return {
    samples,
    layers: new Map([
      ['dense_0', none],
      ['neuron_0', { ...none, spikes: Float64Array.from(hidden) }],
      ['dense_1', none],
      ['neuron_1', { ...none, spikes: Float64Array.from(output) }],
    ]),
  };
}

describe('ActivityWatch', () => {
  it('reports a silent and a saturated layer over an interval, once per epoch, from the interval alone', () => {
    const w = new ActivityWatch(planActivity(model), 2);
    // 4 samples x 2 steps = 8 slots per neuron: hidden all at 8 (saturated), output silent
    const first = w.check(counts(4, [8, 8, 8], [0, 0]), 'epoch 0, batches 1-2');
    expect(first.warnings.map((x) => [x.code, x.layer])).toEqual([
      ['SNN7251', 'neuron_0'],
      ['SNN7250', 'neuron_1'],
    ]);
    expect(first.warnings[0]!.message).toBe('layer `neuron_0` (if) stayed saturated over epoch 0, batches 1-2: 100% of its neurons fire at every step');
    expect(first.warnings[1]!.message).toBe('layer `neuron_1` (if, the output layer) stayed silent over epoch 0, batches 1-2: no spike in 4 sample(s)');
    expect(first.rates).toEqual([
      { layer: 'neuron_0', label: 'n0', rate: 1 },
      { layer: 'neuron_1', label: 'n1', rate: 0 },
    ]);
    expect(formatRates(first.rates)).toBe('fr n0=1.000 n1=0.000');
    // the next interval (4 more samples) is judged on its own counts: the output fired once
    const second = w.check(counts(8, [16, 16, 10], [1, 0]), 'epoch 0, batches 3-4');
    expect(second.warnings).toEqual([]);
    expect(second.rates[1]!.rate).toBeCloseTo(1 / 16, 12);
    // still saturated/silent in a later interval of the same epoch: not repeated
    expect(w.check(counts(12, [24, 24, 18], [1, 0]), 'epoch 0, batches 5-6').warnings).toEqual([]);
    w.startEpoch();
    expect(w.check(counts(4, [0, 0, 0], [0, 0]), 'epoch 1, batches 1-2').warnings.map((x) => x.layer)).toEqual(['neuron_0', 'neuron_1']);
  });
});

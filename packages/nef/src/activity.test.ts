import { describe, expect, it } from 'vitest';
import { activityLine, networkActivity } from './activity.js';
import { buildNetwork } from './build.js';
import { connect, constant, ensemble, ep, input, network, probe } from './ir-builders.js';
import { createSimulator } from './simulator.js';

/** input -> a (60 LIF) -> b (40 LIF), a -> b.neurons[0..9], a.neurons[0..19] -> r (rate neurons); spikes of a probed. */
function net() {
  const inputs = [input('x', constant(0.5))];
  const ensembles = [ensemble('a', 60, { seed: 1 }), ensemble('b', 40, { seed: 2 }), ensemble('r', 30, { seed: 3, neuron: { kind: 'lif_rate', tauRc: 0.02, tauRef: 0.002 } })];
  const parts = { inputs, ensembles };
  const slice = Array.from({ length: 10 }, (_, i) => i);
  const pre = Array.from({ length: 20 }, (_, i) => i);
  return network('act', {
    runTime: 0.3,
    seed: 0,
    inputs,
    ensembles,
    connections: [
      connect(ep(parts, 'x'), ep(parts, 'a')),
      connect(ep(parts, 'a'), ep(parts, 'b')),
      connect(ep(parts, 'a'), ep(parts, 'b', slice, 'neurons'), { transform: Array.from({ length: 10 }, () => [0.1]) }),
      connect(ep(parts, 'a', pre, 'neurons'), ep(parts, 'r', [0])),
    ],
    probes: [probe('a_spikes', ep(parts, 'a', null, 'neurons'))],
  });
}

describe('NEF activity', () => {
  it('counts the spikes the spike probe records and charges each connection its fan-out', () => {
    const built = buildNetwork(net());
    const sim = createSimulator(built);
    sim.run(0.3);
    const counts = sim.spikeCounts();
    const recorded = sim.probe('a_spikes').data.reduce((s, col) => s + col.reduce((k, v) => k + (v !== 0 ? 1 : 0), 0), 0);
    expect(counts[0]).toBe(recorded);
    expect(recorded).toBeGreaterThan(0);
    const a = networkActivity(built, counts, sim.time);
    const [ea, eb, er] = a.ensembles;
    expect(ea!.spikesPerSecond).toBeCloseTo(recorded / 0.3, 6);
    expect(ea!.rateHz).toBeCloseTo(recorded / 0.3 / 60, 6);
    // a -> b: all 40 neurons; a -> b.neurons[0..9]: 10; a.neurons[0..19] -> r: a third of a's spikes x 30
    expect(ea!.synopsPerSecond).toBeCloseTo((recorded * 40 + recorded * 10 + (recorded * 20) / 60 * 30) / 0.3, 3);
    expect(eb!.synopsPerSecond).toBe(0);
    expect(er).toMatchObject({ spiking: false, rateHz: null, spikesPerSecond: null });
    expect(a.total.synopsPerSecond).toBeCloseTo(ea!.synopsPerSecond, 6);
    expect(activityLine(a)).toMatch(/^rates a \d+ Hz, b \d+ Hz; [\d.]+[kM]? SynOps per simulated second$/);
    sim.reset();
    expect(Array.from(sim.spikeCounts())).toEqual([0, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Expr } from '@snnc/ir';
import { buildNetwork } from './build.js';
import { conn, connect, constant, ensemble, ep, input, LEARNING_DEFAULTS, network, node, probe, rule, xi } from './ir-builders.js';
import { createSimulator } from './simulator.js';

const gt = (a: Expr, b: Expr): Expr => ({ kind: 'binary', op: '>', left: a, right: b });
const ifExpr = (c: Expr, a: Expr, b: Expr): Expr => ({ kind: 'call', fn: 'if', args: [c, a, b] });

describe('nodes that compute, synapses and weight probes in a simulation', () => {
  it('a node computes from its summed input within the step (synapse none) or one step later (lowpass)', () => {
    const parts = { inputs: [input('a', constant(0.3)), input('b', constant(0.5)), node('f', 2, [ifExpr(gt(xi(0), xi(1)), xi(0), xi(1))])], ensembles: [] };
    const net = network('n', {
      ...parts,
      runTime: 0.005,
      connections: [connect(ep(parts, 'a'), { ...ep(parts, 'f'), dims: 1, slice: [0] }, { synapse: null }), connect(ep(parts, 'b'), { ...ep(parts, 'f'), dims: 1, slice: [1] }, { synapse: 0.001 })],
      probes: [probe('f', ep(parts, 'f'))],
    });
    const sim = createSimulator(buildNetwork(net));
    sim.run(net.runTime);
    const f = sim.probe('f').data[0]!;
    // step 1: x = [0.3, 0] (b's lowpass has not delivered yet) -> 0.3; later b's filtered value wins
    expect(f[0]).toBeCloseTo(0.3, 12);
    const a = Math.exp(-1);
    expect(f[1]).toBeCloseTo(Math.max(0.3, 0.5 * (1 - a)), 12);
    expect(f[4]).toBeCloseTo(0.5 * (1 - a ** 4), 12);
  });

  it('an alpha synapse delays and smooths a step as 1 - (1 + n dt / tau) exp(-n dt / tau) (zero-order hold)', () => {
    const parts = { inputs: [input('u', constant(1)), node('y', 1, [xi(0)])], ensembles: [] };
    const tau = 0.005;
    const net = network('n', { ...parts, runTime: 0.02, connections: [connect(ep(parts, 'u'), { ...ep(parts, 'y'), dims: 1 }, { synapse: { kind: 'alpha', tau } })], probes: [probe('y', ep(parts, 'y'))] });
    const sim = createSimulator(buildNetwork(net));
    sim.run(net.runTime);
    const y = sim.probe('y').data[0]!;
    // the node reads the synapse one step late: after step n it shows the response to n steps of input
    const dt = net.dt;
    for (let n = 1; n < y.length; n++) expect(y[n]).toBeCloseTo(1 - (1 + (n * dt) / tau) * Math.exp((-n * dt) / tau), 10);
    expect(y[0]).toBe(0);
  });

  it('weights probes record the learned matrix post x pre, and its norm', () => {
    const parts = { inputs: [input('s', constant(0.5))], ensembles: [ensemble('a', 20, { seed: 1 }), ensemble('b', 20, { seed: 2 })] };
    const c = connect(ep(parts, 'a'), ep(parts, 'b'), { id: 'c', learning: LEARNING_DEFAULTS.pes() });
    const net = network('n', {
      ...parts,
      runTime: 0.05,
      connections: [connect(ep(parts, 's'), ep(parts, 'a')), c, connect(ep(parts, 'b'), rule(c, 1))],
      probes: [probe('w', conn(c), { attr: 'weights' }), probe('norm', conn(c), { attr: 'weights_norm' })],
    });
    const built = buildNetwork(net);
    const sim = createSimulator(built);
    sim.run(net.runTime);
    const w = sim.probe('w');
    const norm = sim.probe('norm').data[0]!;
    expect(w.dims).toBe(20);
    const first = w.data.map((col) => col[0]!);
    const last = w.data.map((col) => col[col.length - 1]!);
    const src = built.connections[1]!.source;
    expect(src.kind === 'neurons' && first.every((v, i) => v === src.rows[i])).toBe(true);
    expect(last.some((v, i) => v !== first[i])).toBe(true);
    expect(norm[norm.length - 1]).toBeCloseTo(Math.hypot(...last), 12);
    // reset restores the built decoders
    sim.reset();
    sim.step();
    expect(sim.probe('w').data.map((col) => col[0]!)).toEqual(first);
  });
});

import { describe, expect, it } from 'vitest';
import { isSnncError } from '@snnc/ir';
import { buildNetwork } from '../build.js';
import { connect, ensemble, ep, input, network, piecewise, probe } from '../ir-builders.js';
import { buildNetworkParallel } from './parallel.js';

describe('buildNetworkParallel', () => {
  const parts = { inputs: [input('s', piecewise([[0, 0.5]]))], ensembles: [ensemble('a', 120), ensemble('b', 80, { dims: 2 }), ensemble('c', 60)] };
  const net = network('n', {
    ...parts,
    seed: 3,
    connections: [connect(ep(parts, 's'), ep(parts, 'a')), connect(ep(parts, 'a'), ep(parts, 'b', [0])), connect(ep(parts, 'b'), ep(parts, 'c'), { function: [{ kind: 'binary', op: '*', left: { kind: 'index', target: { kind: 'var', name: 'x' }, index: 0 }, right: { kind: 'index', target: { kind: 'var', name: 'x' }, index: 1 } }] })],
    probes: [probe('a', ep(parts, 'a')), probe('c', ep(parts, 'c'))],
  });

  it('solves on worker threads and gives the same decoders as buildNetwork', async () => {
    const serial = buildNetwork(net);
    const parallel = await buildNetworkParallel(net, {}, 2);
    expect(parallel.connections.map((c) => (c.source.kind === 'neurons' ? [...c.source.rows] : null))).toEqual(serial.connections.map((c) => (c.source.kind === 'neurons' ? [...c.source.rows] : null)));
    expect(parallel.probes.map((p) => (p.source.kind === 'decoded' ? [...p.source.decoders] : null))).toEqual(serial.probes.map((p) => (p.source.kind === 'decoded' ? [...p.source.decoders] : null)));
    expect(parallel.ensembles.map((e) => e.solver.form)).toEqual(serial.ensembles.map((e) => e.solver.form));
  });

  it('rejects an invalid network like buildNetwork, before starting any thread', async () => {
    const bad = { ...net, dt: -1 };
    const err = await buildNetworkParallel(bad, {}, 2).catch((e: unknown) => e);
    expect(isSnncError(err) ? err.code : String(err)).toBe('SNN3002');
  });
});

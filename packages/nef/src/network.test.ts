import { describe, expect, it } from 'vitest';
import { isSnncError, type Network } from '@snnc/ir';
import { buildNetwork } from './build.js';
import { connect, constant, ensemble, ep, input, network, piecewise, probe } from './ir-builders.js';
import { meanOfLast, rmse } from './metrics.js';
import { disableWasmKernels } from './kernels.js';
import { createSimulator, lowpassDecay } from './simulator.js';
import { addition, meanBetween, memory, multiply, squaring } from './__tests__/networks.js';

function run(net: Network, seed?: number) {
  const sim = createSimulator(buildNetwork(net, seed === undefined ? {} : { seed }));
  sim.run(net.runTime);
  return sim;
}

describe('the four report examples decode their ideal', () => {
  it('memory: an integrator holds the integral of a pulse', () => {
    // 0.5 s of input 1 -> the integral is 0.5, held after the pulse ends
    const sim = run(memory(piecewise([[0, 0], [0.2, 1], [0.7, 0]])));
    const out = sim.probe('out').data[0]!;
    const held = meanBetween(out, sim.times(), 1.0, 1.5);
    expect(Math.abs(held - 0.5)).toBeLessThan(0.15);
    expect(meanBetween(out, sim.times(), 0.05, 0.2)).toBeLessThan(0.1);
  });

  it('adding: 0.5 + 0.2 = 0.7 within 0.05, RMSE < 0.05', () => {
    const sim = run(addition(0.5, 0.2));
    const p = sim.probe('out');
    expect(Math.abs(meanOfLast(p.data[0]!, 0.2) - 0.7)).toBeLessThan(0.05);
    expect(rmse(p.data[0]!, p.expected![0]!, sim.times())).toBeLessThan(0.05);
  });

  it('calculate: 0.2^2 = 0.04 within 0.03', () => {
    const sim = run(squaring(constant(0.2)));
    const p = sim.probe('out');
    expect(Math.abs(meanOfLast(p.data[0]!, 0.5) - 0.04)).toBeLessThan(0.03);
    expect(rmse(p.data[0]!, p.expected![0]!, sim.times())).toBeLessThan(0.05);
  });

  it('multiply: 0.5 * 0.2 = 0.1 within 0.05 through a 2-D ensemble', () => {
    const sim = run(multiply(0.5, 0.2));
    expect(Math.abs(meanOfLast(sim.probe('out').data[0]!, 0.5) - 0.1)).toBeLessThan(0.05);
    const ab = sim.probe('ab');
    expect(ab.columns).toEqual(['ab[0]', 'ab[1]']);
    expect(Math.abs(meanOfLast(ab.data[0]!, 0.5) - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(meanOfLast(ab.data[1]!, 0.5) - 0.2)).toBeLessThan(0.1);
  });
});

describe('seeds', () => {
  it('the same seed gives identical output, a different seed a different one', () => {
    const a = run(addition(0.5, 0.2, 3, 0.5)).probe('out').data[0]!;
    const b = run(addition(0.5, 0.2, 3, 0.5)).probe('out').data[0]!;
    const c = run(addition(0.5, 0.2, 4, 0.5)).probe('out').data[0]!;
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    // options.seed overrides the network's seed
    const d = run(addition(0.5, 0.2, 99, 0.5), 3).probe('out').data[0]!;
    expect(Array.from(d)).toEqual(Array.from(a));
  });

  it('the wasm LIF kernel and the TypeScript loop give bit-identical runs', () => {
    // 2-D (J from TypeScript), 1-D (J encoded in the kernel), and 1-D with direct neuron input
    const parts = { inputs: [input('u', constant(0.4))], ensembles: [ensemble('A', 60), ensemble('B', 41)] };
    const withNeuronInput = network('to-neurons', {
      ...parts,
      seed: 9,
      runTime: 0.4,
      connections: [
        connect(ep(parts, 'u'), ep(parts, 'A')),
        connect(ep(parts, 'A'), ep(parts, 'B')),
        connect(ep(parts, 'A'), ep(parts, 'B', null, 'neurons'), { transform: Array.from({ length: 41 }, (_, i) => [i % 2 ? -0.5 : 0.3]) }),
      ],
      probes: [probe('out', ep(parts, 'B'), { synapse: 0.01 }), probe('v', ep(parts, 'B', null, 'neurons'), { attr: 'voltage' })],
    });
    for (const [net, names] of [
      [multiply(0.5, 0.2, 2, 0.4), ['out', 'ab']],
      [withNeuronInput, ['out', 'v']],
    ] as const) {
      const built = buildNetwork(net);
      const fast = createSimulator(built);
      fast.run(0.4);
      disableWasmKernels(true);
      try {
        const slow = createSimulator(built);
        slow.run(0.4);
        for (const name of names) {
          const a = fast.probe(name).data;
          const b = slow.probe(name).data;
          for (let c = 0; c < a.length; c++) expect(Array.from(b[c]!)).toEqual(Array.from(a[c]!));
        }
      } finally {
        disableWasmKernels(false);
      }
    }
  });

  it('reset replays the same run', () => {
    const sim = createSimulator(buildNetwork(addition(0.5, 0.2, 1, 0.3)));
    sim.run(0.3);
    const first = Array.from(sim.probe('out').data[0]!);
    sim.reset();
    expect(sim.steps).toBe(0);
    sim.run(0.3);
    expect(Array.from(sim.probe('out').data[0]!)).toEqual(first);
  });
});

describe('step-wise simulation', () => {
  it('setInput changes the output while running', () => {
    const sim = createSimulator(buildNetwork(addition(0.5, 0.2, 0, 2)));
    sim.run(1);
    const before = meanBetween(sim.probe('out').data[0]!, sim.times(), 0.6, 1.0);
    sim.setInput('a', [-0.5]);
    sim.run(1);
    const p = sim.probe('out');
    const after = meanBetween(p.data[0]!, sim.times(), 1.6, 2.0);
    expect(before).toBeGreaterThan(0.6);
    expect(Math.abs(after - -0.3)).toBeLessThan(0.08);
    // the expectation follows the slider too
    expect(p.expected![0]![p.expected![0]!.length - 1]).toBeCloseTo(-0.3, 12);
    expect(() => sim.setInput('a', [1, 2])).toThrow(/1 dimension/);
    expect(() => sim.setInput('nope', [1])).toThrow(/no input named nope/);
  });

  it('probes grow past the run time, chunks are reported, time counts steps', () => {
    const net = addition(0.1, 0.1, 0, 0.05);
    const sim = createSimulator(buildNetwork(net));
    const seen: number[] = [];
    sim.run(0.25, { chunkSteps: 100, onChunk: (s) => seen.push(s.steps) });
    expect(seen).toEqual([100, 200, 250]);
    expect(sim.probe('out').data[0]!.length).toBe(250);
    expect(sim.times()[0]).toBe(0.001);
    expect(sim.times()[249]).toBe(0.25);
    expect(sim.time).toBeCloseTo(0.25, 12);
  });

  it('runAsync yields between chunks and stops on abort', async () => {
    const sim = createSimulator(buildNetwork(addition(0.1, 0.1, 0, 1)));
    const ctl = new AbortController();
    await sim.runAsync(1, { chunkSteps: 50, signal: ctl.signal, onChunk: (s) => s.steps >= 100 && ctl.abort() });
    expect(sim.steps).toBe(100);
  });
});

describe('semantics shared with Nengo', () => {
  it('a lowpass probe follows y[n] = a y[n-1] + (1 - a) x[n-1] on an input', () => {
    const parts = { inputs: [input('u', piecewise([[0, 0], [0.01, 1], [0.03, -2]]))], ensembles: [] };
    const net = network('filter', {
      ...parts,
      runTime: 0.06,
      probes: [probe('raw', ep(parts, 'u')), probe('lp', ep(parts, 'u'), { synapse: 0.005 })],
    });
    const sim = run(net);
    const x = sim.probe('raw').data[0]!;
    const y = sim.probe('lp').data[0]!;
    const a = lowpassDecay(0.005, 0.001);
    expect(a).toBeCloseTo(Math.exp(-0.2), 15);
    let state = 0;
    for (let i = 0; i < x.length; i++) {
      expect(y[i]).toBeCloseTo(state, 12);
      state = a * state + (1 - a) * x[i]!;
    }
    // Piecewise: zero-order hold, the new value from its own time step on
    const t = sim.times();
    expect(x[t.indexOf(0.009)]).toBe(0);
    expect(x[t.indexOf(0.01)]).toBe(1);
    expect(x[t.indexOf(0.03)]).toBe(-2);
  });

  it('white noise is seeded and has the requested mean and standard deviation', () => {
    const noise = (seed: number | null, netSeed: number): Float64Array => {
      const parts = { inputs: [input('n', { kind: 'white_noise', mean: 0.5, std: 2, seed }, 2)], ensembles: [] };
      const sim = run(network('noise', { ...parts, seed: netSeed, runTime: 2, probes: [probe('n', ep(parts, 'n'))] }));
      return sim.probe('n').data[1]!;
    };
    const a = noise(null, 1);
    expect(Array.from(noise(null, 1))).toEqual(Array.from(a));
    expect(Array.from(noise(null, 2))).not.toEqual(Array.from(a));
    // an explicit signal seed wins over the network seed
    expect(Array.from(noise(7, 1))).toEqual(Array.from(noise(7, 2)));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.15);
    expect(Math.abs(sd - 2)).toBeLessThan(0.1);
  });

  it('a connection into neurons scales by gain: strong inhibition silences an ensemble', () => {
    const parts = { inputs: [input('u', constant(0.5)), input('inh', constant(1))], ensembles: [ensemble('A', 50)] };
    const inhibit = (on: boolean): Network =>
      network('inhibit', {
        ...parts,
        seed: 1,
        runTime: 0.3,
        connections: [
          connect(ep(parts, 'u'), ep(parts, 'A')),
          ...(on ? [connect(ep(parts, 'inh'), ep(parts, 'A', null, 'neurons'), { transform: Array.from({ length: 50 }, () => [-10]) })] : []),
        ],
        probes: [probe('spikes', ep(parts, 'A', null, 'neurons')), probe('v', ep(parts, 'A', [0, 1], 'neurons'), { attr: 'voltage' })],
      });
    const count = (net: Network): number => {
      const sim = run(net);
      const s = sim.probe('spikes');
      let n = 0;
      for (let i = 0; i < s.dims; i++) for (let k = 100; k < s.data[i]!.length; k++) n += s.data[i]![k]! > 0 ? 1 : 0;
      return n;
    };
    expect(count(inhibit(false))).toBeGreaterThan(500);
    expect(count(inhibit(true))).toBe(0);
    const sim = run(inhibit(false));
    expect(sim.probe('v').dims).toBe(2);
    const v = sim.probe('v').data[0]!;
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    // spikes are recorded as 1/dt, like Nengo
    const spikes = sim.probe('spikes').data.flatMap((c) => Array.from(c)).filter((s) => s > 0);
    expect(new Set(spikes)).toEqual(new Set([1000]));
  });

  it('a 3-D ensemble (random eval points and encoders) represents its input', () => {
    const parts = { inputs: [input('u', constant(0.3, -0.2, 0.5))], ensembles: [ensemble('A', 300, { dims: 3 })] };
    const net = network('3d', { ...parts, seed: 4, runTime: 0.5, connections: [connect(ep(parts, 'u'), ep(parts, 'A'))], probes: [probe('out', ep(parts, 'A'), { synapse: 0.02 })] });
    const built = buildNetwork(net);
    expect(built.ensembles[0]!.nEvalPoints).toBe(1500);
    const sim = createSimulator(built);
    sim.run(0.5);
    const got = sim.probe('out').data.map((c) => meanOfLast(c, 0.4));
    [0.3, -0.2, 0.5].forEach((want, i) => expect(Math.abs(got[i]! - want)).toBeLessThan(0.08));
  });

  it('rate neurons decode a constant with little error', () => {
    for (const neuron of [{ kind: 'lif_rate', tauRc: 0.02, tauRef: 0.002 }, { kind: 'relu', amplitude: 1 }] as const) {
      const parts = { inputs: [input('u', constant(0.3))], ensembles: [ensemble('A', 100, { neuron })] };
      const net = network('rate', { ...parts, seed: 2, runTime: 0.5, connections: [connect(ep(parts, 'u'), ep(parts, 'A'))], probes: [probe('out', ep(parts, 'A'), { synapse: 0.01 })] });
      expect(Math.abs(meanOfLast(run(net).probe('out').data[0]!, 0.2) - 0.3)).toBeLessThan(0.02);
    }
  });

  it('a synapse-free chain acts within one step', () => {
    const parts = { inputs: [input('u', constant(0.5))], ensembles: [ensemble('A', 100), ensemble('B', 100)] };
    const net = network('direct', {
      ...parts,
      seed: 1,
      runTime: 0.5,
      connections: [connect(ep(parts, 'u'), ep(parts, 'A'), { synapse: null }), connect(ep(parts, 'A'), ep(parts, 'B'), { synapse: null })],
      probes: [probe('out', ep(parts, 'B'), { synapse: 0.02 })],
    });
    expect(Math.abs(meanOfLast(run(net).probe('out').data[0]!, 0.3) - 0.5)).toBeLessThan(0.1);
  });
});

describe('connection kinds', () => {
  it('a function of a sliced input: x[1]^2 of [0.5, 0.3]', () => {
    const parts = { inputs: [input('ab', constant(0.5, 0.3))], ensembles: [ensemble('A', 100)] };
    const net = network('fn-input', {
      ...parts,
      seed: 3,
      runTime: 1,
      connections: [connect(ep(parts, 'ab', [1]), ep(parts, 'A'), { function: [{ kind: 'binary', op: '*', left: { kind: 'var', name: 'x' }, right: { kind: 'var', name: 'x' } }] })],
      probes: [probe('out', ep(parts, 'A'), { synapse: 0.01 })],
    });
    expect(Math.abs(meanOfLast(run(net).probe('out').data[0]!, 0.5) - 0.09)).toBeLessThan(0.03);
  });

  it('a decoded value into neurons (decode, then a per-neuron transform) inhibits or excites', () => {
    const rate = (value: number): number => {
      const parts = { inputs: [input('u', constant(value))], ensembles: [ensemble('A', 100), ensemble('B', 40)] };
      const net = network('to-neurons', {
        ...parts,
        seed: 5,
        runTime: 0.5,
        connections: [
          connect(ep(parts, 'u'), ep(parts, 'A')),
          connect(ep(parts, 'A'), ep(parts, 'B', null, 'neurons'), { transform: Array.from({ length: 40 }, () => [-3]) }),
        ],
        probes: [probe('spikes', ep(parts, 'B', null, 'neurons'))],
      });
      const sp = run(net).probe('spikes');
      let n = 0;
      for (const col of sp.data) for (let k = 200; k < col.length; k++) n += col[k]! > 0 ? 1 : 0;
      return n / 40 / 0.3;
    };
    const inhibited = rate(1);
    const excited = rate(-1);
    expect(inhibited).toBeLessThan(5);
    expect(excited).toBeGreaterThan(250);
  });

  it('neurons into an ensemble: x = weights . spike trains, decoded downstream', () => {
    const parts = { inputs: [input('u', constant(0.3))], ensembles: [ensemble('A', 50), ensemble('C', 100)] };
    const w = 8e-5;
    const net = network('from-neurons', {
      ...parts,
      seed: 6,
      runTime: 1,
      connections: [connect(ep(parts, 'u'), ep(parts, 'A')), connect(ep(parts, 'A', null, 'neurons'), ep(parts, 'C'), { transform: [Array.from({ length: 50 }, () => w)] })],
      probes: [probe('spikes', ep(parts, 'A', null, 'neurons')), probe('c', ep(parts, 'C'), { synapse: 0.05 })],
    });
    const sim = run(net);
    let spikes = 0;
    for (const col of sim.probe('spikes').data) for (let k = 500; k < col.length; k++) spikes += col[k]! > 0 ? 1 : 0;
    const expected = (w * spikes) / 0.5; // w times the summed rate (Hz) of A's neurons
    expect(expected).toBeGreaterThan(0.2);
    const got = meanBetween(sim.probe("c").data[0]!, sim.times(), 0.5, 1.0001);
    expect(Math.abs(got - expected)).toBeLessThan(0.08);
  });
});

describe('bad networks that slip past the compiler', () => {
  const parts = { inputs: [input('u', constant(0.5))], ensembles: [ensemble('A', 20), ensemble('B', 20, { neuron: { kind: 'lif_rate', tauRc: 0.02, tauRef: 0.002 } })] };
  const base = network('bad', { ...parts, connections: [connect(ep(parts, 'u'), ep(parts, 'A'))] });
  const code = (net: Network): string => {
    try {
      buildNetwork(net);
    } catch (e) {
      if (isSnncError(e)) return `${e.code}: ${e.message}`;
      throw e;
    }
    return 'no error';
  };

  it('reports each problem with its diagnostic code', () => {
    expect(code(base)).toBe('no error');
    expect(code({ ...base, connections: [connect({ ...ep(parts, 'A'), name: 'Q' }, ep(parts, 'B'))] })).toMatch(/^SNN2001: unknown connection source `Q`/);
    expect(code({ ...base, connections: [connect(ep(parts, 'u'), { ...ep(parts, 'A'), slice: [3], dims: 1 })] })).toMatch(/^SNN5002/);
    expect(code({ ...base, connections: [{ ...connect(ep(parts, 'u'), ep(parts, 'A')), transform: [[1, 2]] }] })).toMatch(/^SNN5005: transform is 1x2 but the connection needs 1x1/);
    expect(code({ ...base, connections: [connect(ep(parts, 'A'), ep(parts, 'A'), { synapse: null })] })).toMatch(/^SNN5004/);
    expect(code({ ...base, connections: [connect(ep(parts, 'A'), ep(parts, 'B'), { synapse: null }), connect(ep(parts, 'B'), ep(parts, 'A'), { synapse: null })] })).toMatch(
      /^SNN5013: connections A -> B, B -> A form a loop/,
    );
    expect(code({ ...base, probes: [probe('v', ep(parts, 'B', null, 'neurons'), { attr: 'voltage' })] })).toMatch(/^SNN5009: .*rate neurons/);
    expect(code({ ...base, inputs: [input('u', piecewise([[0.5, 1], [0.2, 0]]))] })).toMatch(/^SNN5010: .*times must increase/);
    expect(code({ ...base, ensembles: [ensemble('A', 20, { maxRates: [200, 600] }), parts.ensembles[1]!] })).toBe('SNN3002: `max_rates` must be below 1 / tau_ref = 500 Hz, got 600 Hz');
    expect(code({ ...base, probes: [probe('p', ep(parts, 'A'), { expect: [{ kind: 'var', name: 'zz' }] })] })).toMatch(/^SNN5006: unknown name .* `zz`/);
    expect(code({ ...base, ensembles: [ensemble('A', 20, { intercepts: [1.5, 2] }), parts.ensembles[1]!] })).toMatch(/^SNN3002: `intercepts`/);
    expect(code({ ...base, ensembles: [ensemble('A', 20, { intercepts: [0.5, 0.9], maxRates: [10, 20] }), parts.ensembles[1]!], probes: [probe('p', ep(parts, 'A'))] })).toBe('no error');
  });

  it('an ensemble of neurons that never fire is refused before the build, as the compiler refuses it', () => {
    // amplitude 0 would make every activity 0 (SNN5014 at the decoder solve); the IR validator
    // and the compiler both require amplitude > 0, so the build never gets that far.
    const silent = ensemble('S', 10, { neuron: { kind: 'relu', amplitude: 0 } });
    const p2 = { inputs: [], ensembles: [silent] };
    expect(code(network('silent', { ...p2, probes: [probe('p', ep(p2, 'S'))] }))).toBe('SNN3002: `amplitude` must be a number > 0, got 0');
  });
});

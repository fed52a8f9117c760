import { describe, expect, it } from 'vitest';
import { compileExpr, type Network } from '@snnc/ir';
import { codes, compileText } from '../test-util.js';

function net(body: string, header = ''): Network {
  const r = compileText(`network n${header} {\n${body}\n  run 1s\n}`);
  expect(codes(r)).toEqual([]);
  return r.ir!.networks[0]!;
}

function errors(body: string): string[] {
  return codes(compileText(`network n {\n${body}\n  run 1s\n}`));
}

describe('NEF networks', () => {
  it('fills Nengo defaults', () => {
    const n = net('ensemble a = LIF(n: 10)\n input s = 0.5\n connect s -> a\n probe a');
    expect(n).toMatchObject({ dt: 0.001, runTime: 1, seed: null });
    expect(n.ensembles[0]).toMatchObject({ neuron: { kind: 'lif', tauRc: 0.02, tauRef: 0.002, minVoltage: 0 }, dims: 1, radius: 1, maxRates: [200, 400], intercepts: [-1, 0.9], encoders: { kind: 'hypersphere' }, seed: null });
    expect(n.connections[0]).toMatchObject({ synapse: { kind: 'lowpass', tau: 0.005 }, learning: null, transform: [[1]], function: null });
    expect(n.probes[0]).toMatchObject({ name: 'a', attr: 'decoded', synapse: null, expect: null });
  });

  it('converts units: times to seconds, rates to hertz', () => {
    const n = net('ensemble a = LIF(n: 10, tau_rc: 30ms, tau_ref: 1000us, max_rates: [0.1kHz, 150])\n connect a -> a (synapse: 100ms)');
    expect(n.ensembles[0]!.neuron).toMatchObject({ tauRc: 0.03, tauRef: 0.001 });
    expect(n.ensembles[0]!.maxRates).toEqual([100, 150]);
    expect(n.connections[0]!.synapse).toEqual({ kind: 'lowpass', tau: 0.1 });
  });

  it('always writes the transform as a full post x input matrix', () => {
    const n = net('ensemble a = LIF(n: 10, dims: 2)\n ensemble b = LIF(n: 10, dims: 2)\n ensemble c = LIF(n: 10)\n connect a -> b (transform: 0.5)\n connect a -> b (transform: [1, 2])\n connect a -> c (transform: [[1, -1]])\n connect c -> b.neurons[0:3] (transform: -2)');
    expect(n.connections.map((c) => c.transform)).toEqual([
      [
        [0.5, 0],
        [0, 0.5],
      ],
      [
        [1, 0],
        [0, 2],
      ],
      [[1, -1]],
      [[-2], [-2], [-2]],
    ]);
  });

  it('sizes endpoints after slicing and lets functions change the width', () => {
    const n = net('ensemble a = LIF(n: 10, dims: 3)\n ensemble b = LIF(n: 10, dims: 2)\n connect a[1:3] -> b (function: [x[0] * x[1], x[1]])\n connect a[0, 2] -> b[1] (function: x[0] + x[1])');
    expect(n.connections[0]!.pre).toMatchObject({ slice: [1, 2], dims: 2 });
    expect(n.connections[0]!.function).toHaveLength(2);
    expect(n.connections[1]!.pre).toMatchObject({ slice: [0, 2], dims: 2 });
    expect(n.connections[1]!.post).toMatchObject({ slice: [1], dims: 1 });
    const f = compileExpr(n.connections[0]!.function![0]!);
    expect(f({ t: 0, x: [3, 4], vars: {} })).toBe(12);
  });

  it('folds constant inputs and keeps signals of t as expressions', () => {
    const n = net('input a = [0.5, 2 * pi]\n input b = sin(t) * 2\n input c = piecewise({0: [0, 1], 100ms: [1, 0]})\n input w = white_noise(mean: 1, std: 0.5, dims: 2)', '');
    expect(n.inputs.map((i) => [i.name, i.dims, i.signal.kind])).toEqual([
      ['a', 2, 'constant'],
      ['b', 1, 'expr'],
      ['c', 2, 'piecewise'],
      ['w', 2, 'white_noise'],
    ]);
    expect(n.inputs[0]!.signal).toEqual({ kind: 'constant', value: [0.5, 2 * Math.PI] });
    expect(n.inputs[2]!.signal).toEqual({ kind: 'piecewise', points: [{ t: 0, value: [0, 1] }, { t: 0.1, value: [1, 0] }] });
    expect(n.inputs[3]!.signal).toEqual({ kind: 'white_noise', mean: 1, std: 0.5, seed: null });
  });

  it('probes spikes and voltage on neurons, with names', () => {
    const n = net('ensemble a = LIF(n: 7)\n probe a.spikes\n probe v = a.voltage\n probe a.neurons[0:2]');
    expect(n.probes.map((p) => [p.name, p.attr, p.target.kind, p.target.dims])).toEqual([
      ['a.spikes', 'spikes', 'neurons', 7],
      ['v', 'voltage', 'neurons', 7],
      ['a.neurons[0:2]', 'spikes', 'neurons', 2],
    ]);
  });

  it('lets expectations read inputs and network parameters', () => {
    const n = net('input a = [1, 2]\n ensemble ens = LIF(n: 10, dims: 2)\n connect a -> ens\n probe ens (expect: [a[0] * k, a[1]])', '(k: 3)');
    const f = compileExpr(n.probes[0]!.expect![0]!);
    expect(f({ t: 0, x: [], vars: { a: [1, 2] } })).toBe(3);
  });

  it('reports NEF mistakes', () => {
    expect(errors('ensemble a = LIF(n: 10, dims: 2)\n ensemble b = LIF(n: 10)\n connect a -> b')).toEqual(['SNN5001 connection gives 2 dimension(s) but `b` takes 1']);
    expect(errors('ensemble a = LIF(n: 10)\n connect a -> a (synapse: none)')).toEqual(['SNN5004 recurrent connection `a -> a` needs a synapse']);
    expect(errors('ensemble a = LIF(n: 10, dims: 2)\n connect a[0:3] -> a (synapse: 0.1)')).toEqual(['SNN5002 index 3 is out of range for `a` with 2 dimension(s)']);
    expect(errors('ensemble a = LIF(n: 10)\n connect a -> b')).toEqual(['SNN2001 unknown input or ensemble `b`']);
    expect(errors('ensemble a = LIF(n: 10)\n connect a.neurons -> a (function: x, synapse: 0.1)')).toEqual(['SNN5012 a function needs a decoded value, but `a.neurons` is neurons']);
    expect(errors('ensemble a = ReLU(n: 10)\n probe a.voltage')).toEqual(['SNN5009 `a` uses relu neurons, which have no voltage']);
    expect(errors('ensemble a = LIF(n: 10, dims: 2)\n ensemble b = LIF(n: 10)\n connect a -> b (function: x)')).toEqual(['SNN5008 `x` has 2 dimensions: pick one, as in `x[0]`']);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble a = LIF(n: 5)')).toEqual(['SNN2002 ensemble `a` is already defined']);
    expect(errors('ensemble a = LIF(n: 10, intercepts: [0.5, -0.5])')).toEqual(['SNN3002 `intercepts` must be a range [low, high] with low <= high, got [0.5, -0.5]']);
    expect(errors('dt 2s')).toEqual(['SNN3002 `run` must be at least one step (dt = 2 s), got 1 s']);
  });

  it('reads synapses: a time, lowpass, alpha, linear_filter, none', () => {
    const syn = (text: string) => net(`ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect a -> b (synapse: ${text})`).connections[0]!.synapse;
    expect(syn('10ms')).toEqual({ kind: 'lowpass', tau: 0.01 });
    expect(syn('lowpass(10ms)')).toEqual({ kind: 'lowpass', tau: 0.01 });
    expect(syn('alpha(5ms)')).toEqual({ kind: 'alpha', tau: 0.005 });
    expect(syn('linear_filter([1], [0.005, 1])')).toEqual({ kind: 'linear_filter', num: [1], den: [0.005, 1] });
    expect(syn('none')).toBeNull();
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect a -> b (synapse: linear_filter([1, 0, 0], [1, 1]))')).toEqual([
      "SNN5302 synapse linear_filter: the numerator has degree 2, above the denominator's 1; a synapse must be proper",
    ]);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect a -> b (synapse: alfa(5ms))')[0]).toMatch(/^SNN3003 `synapse` must be one of/);
  });

  it('reads learning rules with Nengo defaults, their error connections and weight probes', () => {
    const n = net(
      'ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect c = a -> b (function: 0, learning: PES)\n connect b -> c.learning\n connect a -> c.learning (transform: -1)\n probe c.weights\n probe w = c.weights_norm',
    );
    expect(n.connections.map((c) => c.id)).toEqual(['c', 'conn_1', 'conn_2']);
    expect(n.connections[0]!.learning).toEqual({ kind: 'pes', learningRate: 1e-4, preSynapse: { kind: 'lowpass', tau: 0.005 } });
    expect(n.connections[1]!.post).toMatchObject({ name: 'c', kind: 'learning', dims: 1 });
    expect(n.probes.map((p) => [p.name, p.attr, p.target.kind])).toEqual([
      ['c.weights', 'weights', 'connection'],
      ['w', 'weights_norm', 'connection'],
    ]);
    // the error connection may come first; BCM's post synapse follows its pre synapse
    const m = net('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect b -> c.learning\n connect c = a -> b (learning: PES(learning_rate: 1e-3))\n connect d = a.neurons -> b.neurons (transform: 0, learning: BCM(pre_synapse: 10ms))');
    expect(m.connections.map((c) => c.id)).toEqual(['conn_0', 'c', 'd']);
    expect(m.connections[2]!.learning).toEqual({ kind: 'bcm', learningRate: 1e-9, preSynapse: { kind: 'lowpass', tau: 0.01 }, postSynapse: { kind: 'lowpass', tau: 0.01 }, thetaSynapse: { kind: 'lowpass', tau: 1 } });
  });

  it('reports learning mistakes', () => {
    expect(errors('input s = sin(t)\n ensemble b = LIF(n: 10)\n connect c = s -> b (learning: PES)')[0]).toMatch(/^SNN5300 PES learns decoders or weights/);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect c = a -> b\n connect b -> c.learning')[0]).toMatch(/^SNN5301 connection `c` has no learning rule/);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect c = a -> b (learning: PES)\n connect b -> c')[0]).toMatch(/^SNN5012 `c` is a connection/);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect a = a -> b')).toEqual(['SNN2002 connection `a` is already defined']);
    expect(errors('ensemble a = LIF(n: 50)\n ensemble b = LIF(n: 50)\n connect c = a -> b (learning: Oja)\n probe c.weights')).toEqual([
      'SNN5303 probe `c.weights` would record 2500 weights per step (at most 1000); probe `.weights_norm` or a smaller connection',
    ]);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect c = a -> b (learning: PSE)')[0]).toMatch(/^SNN3003 `learning` must be one of/);
    expect(errors('ensemble a = LIF(n: 10)\n ensemble b = LIF(n: 10)\n connect c = a -> b\n probe c.weights')[0]).toMatch(/^SNN5009 `c` has no learning rule/);
  });

  it('reads nodes that compute from their input x, and comparisons', () => {
    const n = net('ensemble a = LIF(n: 10, dims: 2)\n input f = if(x[0] > x[1], x[0], -x[1])\n input g = node(max(x), size_in: 3)\n connect a -> f\n connect a -> g (transform: [[1, 0], [0, 1], [1, 1]])');
    expect(n.inputs.map((i) => [i.name, i.sizeIn, i.dims])).toEqual([
      ['f', 2, 1],
      ['g', 3, 1],
    ]);
    const f = compileExpr((n.inputs[0]!.signal as { exprs: import('@snnc/ir').Expr[] }).exprs[0]!);
    expect(f({ t: 0, x: [0.5, 0.2], vars: {} })).toBe(0.5);
    expect(f({ t: 0, x: [0.1, 0.2], vars: {} })).toBe(-0.2);
    expect(errors('input s = sin(t)\n ensemble a = LIF(n: 10)\n connect a -> s')[0]).toMatch(/^SNN5304 `s` is an input of `t` only/);
  });
});

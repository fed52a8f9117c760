import { simulateNeuron, type EquationNeuron } from '@snnc/ir';
import { describe, expect, it } from 'vitest';
import { libraryNeuron } from '../stdlib/library.js';
import { STDLIB_NEURONS_SOURCE } from '../stdlib/index.js';
import { compile } from '../compile.js';
import { codes, compileText } from '../test-util.js';

function neuronOf(text: string, name: string): EquationNeuron {
  const r = compileText(text);
  expect(codes(r)).toEqual([]);
  const n = r.ir!.neurons.find((x) => x.name === name);
  if (!n || n.kind !== 'equations') throw new Error(`no equation neuron ${name}`);
  return n;
}

describe('neuron definitions', () => {
  it('lowers a user definition with its scheme, state and reset', () => {
    const n = neuronOf(
      `neuron Quad(tau: 10ms, threshold: 1.0) {
        input I
        state v = 0
        dv/dt = (v^2 - v + I) / tau
        spike when v >= threshold { v = 0 }
      }`,
      'Quad',
    );
    expect(n.scheme).toBe('euler');
    expect(n.params).toEqual({ tau: 0.01, threshold: 1 });
    expect(n.input).toBe('I');
    expect(n.state.map((s) => s.name)).toEqual(['v']);
    expect(n.spike?.op).toBe('>=');
    expect(n.dt).toBe(0.001);
  });

  it('instantiates library neurons with call values and options', () => {
    const n = neuronOf('neuron rs = Izhikevich(a: 0.02, b: 0.2, c: -65, d: 8, dt: 0.1ms)', 'rs');
    expect(n.definition).toBe('Izhikevich');
    expect(n.params).toMatchObject({ a: 0.02, b: 0.2, c: -65, d: 8 });
    expect(n.dt).toBeCloseTo(1e-4, 12);
    expect(n.reset.map((r) => r.target)).toEqual(['v', 'u']);
  });

  it('uses a definition inline in a model with arguments', () => {
    const r = compileText(`model m(input: [4], steps: 3) {\n  dense(3) -> CubaLIF(tau_mem: 5ms) -> dense(2) -> LIF\n}`);
    expect(codes(r)).toEqual([]);
    const layer = r.ir!.models[0]!.layers[1]!;
    expect(layer.kind === 'neuron' && layer.neuron.kind === 'equations' && layer.neuron.params['tau_mem']).toBe(0.005);
    expect(layer.kind === 'neuron' && layer.neuron.kind === 'equations' && layer.neuron.scheme).toBe('exact');
  });

  it('keeps the built-in LIF family on its own IR kinds', () => {
    const r = compileText('neuron a = LIF(tau: 2.0, threshold: 1.0, reset: 0.0, surrogate: atan(alpha: 2.0))');
    expect(r.ir!.neurons[0]!.kind).toBe('lif');
  });

  it('checks that dv/dt is a rate', () => {
    const r = compileText('neuron Bad(tau: 10ms) {\n  state v = 0\n  dv/dt = -v + x\n  spike when v >= 1 { v = 0 }\n}');
    expect(codes(r)).toEqual(['SNN3100 `dv/dt` must be a rate (1/time), but it is a plain number']);
    expect(r.diagnostics[0]!.hint).toMatch(/divide by a time constant/);
  });

  it('reports mixed dimensions, unknown names and assignments to parameters', () => {
    const r = compileText('neuron Bad(tau: 10ms) {\n  state v = 0\n  dv/dt = (v + w) / tau\n  spike when v >= 1 { tau = 0 }\n}');
    expect(codes(r)).toEqual([
      'SNN2001 unknown name in neuron `Bad` `w`',
      'SNN2100 `tau` is a parameter of neuron `Bad`, not a state variable, so it cannot be reset',
    ]);
    const m = compileText('neuron Bad(tau: 10ms) {\n  state v = 0\n  dv/dt = (v - tau) / tau\n}');
    expect(codes(m)).toEqual(['SNN3101 cannot combine a plain number and a time with `-`']);
  });

  it('warns about state that never changes or is never read', () => {
    const r = compileText('neuron N(tau: 2.0) {\n  state v = 0\n  state w = 0\n  state z = 0\n  v += (x - v) / tau\n  z = v\n  spike when v >= 1 { v = 0 }\n}');
    expect(codes(r)).toEqual(['SNN2101 state `w` of neuron `N` never changes: no equation or reset assigns it', 'SNN2009 state variable `z` is never used']);
  });

  it('rejects exact integration of non-linear dynamics, and mixing ODEs with updates', () => {
    const r = compileText('neuron N(tau: 10ms) {\n  state v = 0\n  dv/dt = v^2 / tau\n  integrate exact\n}');
    expect(codes(r)[0]).toMatch(/^SNN5100 `integrate exact` needs linear dynamics/);
    const m = compileText('neuron M(tau: 10ms) {\n  state v = 0\n  state u = 0\n  dv/dt = -v / tau\n  u = v\n}');
    expect(codes(m)[0]).toMatch(/^SNN5100 a neuron is either continuous/);
  });

  it('needs a comparison in the spike rule', () => {
    const r = compileText('neuron N {\n  state v = 0\n  v += x\n  spike when v { v = 0 }\n}');
    expect(codes(r)).toEqual(['SNN5101 the spike condition must compare two values with `>=` or `>` (as in `v >= threshold`), got no comparison']);
  });

  it('refuses a user neuron that redefines a library one', () => {
    const r = compileText('neuron LIF(tau: 2.0) {\n  state v = 0\n  v += x / tau\n}');
    expect(codes(r)).toEqual(['SNN2002 neuron `LIF` is already defined']);
    expect(r.diagnostics[0]!.related?.[0]?.range.file).toBe('<stdlib>/neurons.snn');
    expect(r.sources.has('<stdlib>/neurons.snn')).toBe(true); // so the related location prints with its line
  });

  it('the library LIF definition spikes on every second step under a constant 1.5', () => {
    const lif = libraryNeuron('LIF')!;
    expect(lif.scheme).toBe('discrete');
    const tr = simulateNeuron(lif, new Array<number>(6).fill(1.5));
    expect([...tr.spikes]).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('every library neuron compiles without diagnostics', () => {
    const r = compile(STDLIB_NEURONS_SOURCE, { file: 'lib.snn', stdlib: false });
    expect(codes(r)).toEqual([]);
    expect(r.ir!.neurons.map((n) => n.name)).toEqual(['IF', 'LIF', 'PLIF', 'ALIF', 'CubaLIF', 'LI', 'Integrator', 'LIFRefractory', 'Izhikevich', 'AdEx', 'ResonateAndFire']);
  });

  it('lets a NEF ensemble use a spiking definition, stepped at the network dt', () => {
    const net = (ens: string) => `network n {\n  dt 0.5ms\n  input a = 0.5\n  ensemble pop = ${ens}\n  connect a -> pop\n  probe pop.voltage\n  run 0.1s\n}\n`;
    const r = compileText(net('Izhikevich(n: 20, d: 2, max_rates: [20Hz, 40Hz])'));
    expect(codes(r)).toEqual([]);
    const e = r.ir!.networks[0]!.ensembles[0]!;
    expect(e.n).toBe(20);
    expect(e.maxRates).toEqual([20, 40]);
    expect(e.neuron.kind === 'equations' && [e.neuron.neuron.definition, e.neuron.neuron.params['d'], e.neuron.neuron.dt]).toEqual(['Izhikevich', 2, 0.0005]);
    expect(codes(compileText(net('LI(n: 20)')))).toEqual(['SNN3003 `ensemble` must be one of a spiking neuron (NEF decodes spikes), got `LI`']);
    expect(codes(compileText(net('Izhikevich(n: 20, dt: 1ms)')))[0]).toMatch(/^SNN5102 an ensemble's neurons step at the network's `dt`/);
    expect(codes(compileText(net('Izhikevich(n: 20, q: 1)')))).toEqual(['SNN2003 neuron `Izhikevich` has no parameter `q`']);
  });

  it('re-checks exact integration with the call parameters', () => {
    const r = compileText('neuron P(tau: 10ms, p: 1) {\n  state v = 0\n  dv/dt = (x - v ^ p) / tau\n  integrate exact\n}\nneuron q = P(p: 2)\n');
    expect(codes(r)[0]).toMatch(/^SNN5100 with these parameters `integrate exact` of `P` has no exact solution/);
  });

  it('reads trainable scalars: IR, starting values checked, not inside exact propagators', () => {
    const n = libraryNeuron('PLIF')!;
    expect(n.trainable?.map((t) => t.name)).toEqual(['w']);
    const bad = compileText('neuron T(k: 1.0) {\n  trainable g = log(k - 1)\n  state v = 0\n  v += g * x\n}\nneuron t = T\n');
    expect(codes(bad)[0]).toMatch(/^SNN3002 `g` must be a finite starting value/);
    const exact = compileText('neuron E(tau: 10ms) {\n  trainable g = 1\n  state v = 0\n  dv/dt = (g * x - v) / tau\n  integrate exact\n}\n');
    expect(codes(exact)[0]).toMatch(/^SNN5100 `integrate exact` fixes its propagator/);
    const assign = compileText('neuron A {\n  trainable g = 1\n  state v = 0\n  v += g * x\n  spike when v >= 1 { g = 0 }\n}\n');
    expect(codes(assign)[0]).toMatch(/^SNN2100 `g` is a parameter of neuron `A`/);
  });
});

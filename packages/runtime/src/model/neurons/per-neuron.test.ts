import * as tf from '@tensorflow/tfjs-core';
import { Random, simulateNeuron, SnncError, type EquationNeuron, type Expr } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { runNeuron } from '../__tests__/run_neuron.js';
import { buildNeuron } from '../layers/neuron.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const v = (name: string): Expr => ({ kind: 'var', name });
const op = (o: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ kind: 'binary', op: o, left, right });

/** NIR's LIF as `snnc import` writes it: tau dv/dt = v_leak - v + r x, spike when v > threshold, v = reset; exact at 1 ms. */
function nirLif(perNeuron: string[] | undefined): EquationNeuron {
  const def: EquationNeuron = {
    kind: 'equations',
    name: 'lif',
    definition: 'NirLIF',
    params: { tau: 0.01, r: 1, v_leak: 0, threshold: 1, reset: 0 },
    input: 'x',
    state: [{ name: 'v', init: v('v_leak') }],
    scheme: 'exact',
    dt: 1e-3,
    equations: [{ target: 'v', form: 'ode', rhs: op('/', op('+', op('-', v('v_leak'), v('v')), op('*', v('r'), v('x'))), v('tau')) }],
    spike: { left: v('v'), op: '>', right: v('threshold') },
    reset: [{ target: 'v', value: v('reset') }],
    refractory: null,
    surrogate: { kind: 'atan', alpha: 2 },
    detachReset: false,
  };
  if (perNeuron) def.perNeuron = perNeuron;
  return def;
}

/** Input per step: a slow sine around 1.5, the same for every neuron. */
const drive = (steps: number, n: number) => Array.from({ length: steps }, (_, k) => Array.from({ length: n }, () => 1.5 + Math.sin(k / 9)));

/** Runs the layer after loading `values` into its per-neuron variables. */
function runWith(def: EquationNeuron, values: Record<string, number[]>, xs: number[][]) {
  const n = xs[0]!.length;
  const layer = buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [n], outShape: [n], neuron: def }, 'composed');
  for (const [k, vals] of Object.entries(values)) layer.weights[k]!.assign(tf.tensor1d(vals));
  let spikes: number[][] = [];
  let membrane: number[][] = [];
  tf.tidy(() => {
    const r = layer.run(tf.tensor2d(xs.flat(), [xs.length, n]), { training: false, rng: new Random(0), steps: xs.length, batch: 1, folded: true }, true);
    spikes = r.spikes.arraySync() as number[][];
    membrane = r.membrane!.arraySync() as number[][];
  });
  return { spikes, membrane, layer };
}

describe('per-neuron parameters of an equation neuron (values from the weights file)', () => {
  it('has a fixed variable per parameter, shaped like the units, seeded with the default', () => {
    const { layer, spikes } = runNeuron(nirLif(['tau', 'threshold']), drive(40, 3));
    expect(Object.keys(layer.weights).sort()).toEqual(['tau', 'threshold']);
    expect(layer.weights['tau']!.shape).toEqual([3]);
    expect(Array.from(layer.weights['threshold']!.dataSync())).toEqual([1, 1, 1]);
    expect(layer.trainable).toEqual([]);
    // seeded with the defaults, it is the scalar neuron
    const scalar = simulateNeuron(nirLif(undefined), drive(40, 1).map((r) => r[0]!));
    expect(spikes.map((r) => r[2])).toEqual(Array.from(scalar.spikes));
  });

  it('steps every neuron with its own tau, threshold and leak, as the float64 simulation of that neuron alone', () => {
    const tau = [0.002, 0.01, 0.05, 0.01];
    const threshold = [0.5, 1, 1.2, 0.25];
    const vLeak = [0, 0.1, 0, -0.2]; // zero for some neurons only: their programs differ in form
    const xs = drive(120, 4);
    const { spikes, membrane } = runWith(nirLif(['tau', 'threshold', 'v_leak']), { tau, threshold, v_leak: vLeak }, xs);
    for (let i = 0; i < 4; i++) {
      const own = nirLif(undefined);
      own.params = { ...own.params, tau: tau[i]!, threshold: threshold[i]!, v_leak: vLeak[i]! };
      const ref = simulateNeuron(own, xs.map((r) => r[i]!));
      expect(spikes.map((r) => r[i]), `neuron ${i}`).toEqual(Array.from(ref.spikes));
      expect(ref.spikes.reduce((a, b) => a + b, 0), `neuron ${i} spikes`).toBeGreaterThan(0);
      // the layer's membrane is before the reset; the simulation's state after it
      membrane.forEach((r, t) => {
        if (ref.spikes[t] === 0) expect(r[i]!).toBeCloseTo(ref.state['v']![t]!, 4);
      });
    }
  });

  it('refuses a non-finite value with SNN7600 naming the layer and neuron', () => {
    expect(() => runWith(nirLif(['tau']), { tau: [0.01, Number.NaN] }, drive(3, 2))).toThrow(SnncError);
    expect(() => runWith(nirLif(['tau']), { tau: [0.01, Number.NaN] }, drive(3, 2))).toThrow('neuron layer `neuron_0`: neuron 1 has `tau` = NaN');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildNeuron } from '../layers/neuron.js';
import { lifDef, neuronDef } from '../__tests__/models.js';
import { constant, runNeuron } from '../__tests__/run_neuron.js';
import { plifInitialW } from './plif.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

describe('PLIF', () => {
  it('starts at the declared tau: w = -ln(tau - 1), 1/tau = sigmoid(w)', () => {
    expect(plifInitialW(2)).toBeCloseTo(0, 12);
    const w = plifInitialW(5);
    expect(1 / (1 + Math.exp(-w))).toBeCloseTo(1 / 5, 12);
    expect(() => plifInitialW(1)).toThrow(/tau > 1/);
  });

  it('behaves as a LIF with the same tau before training', () => {
    const p = runNeuron(neuronDef('plif', { tau: 3 }), constant(1.7, 8));
    const l = runNeuron(lifDef({ tau: 3 }), constant(1.7, 8));
    expect(p.spikes).toEqual(l.spikes);
    for (let t = 0; t < 8; t++) expect(p.membrane![t]![0]).toBeCloseTo(l.membrane![t]![0]!, 6);
    expect(Object.keys(p.layer.weights)).toEqual(['w']);
    expect(p.layer.trainable).toHaveLength(1);
  });

  it('learns tau: dL/dw matches a finite difference below threshold', () => {
    const layer = buildNeuron({ kind: 'neuron', id: 'neuron_0', inShape: [2], outShape: [2], neuron: neuronDef('plif', { tau: 2.5 }) }, 'composed');
    const w = layer.weights['w']!;
    const xs = tf.tensor2d([0.3, 0.1, 0.2, 0.4, 0.1, 0.2], [3, 2]);
    const ctx = { training: true, rng: new Random(0), steps: 3, batch: 2, folded: true };
    // sum of H over the sequence: smooth in w while no neuron fires
    const loss = () => tf.sum(layer.run(xs, ctx, true).membrane!) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [w]);
    const g = grads[w.name]!.dataSync()[0]!;
    const w0 = w.dataSync()[0]!;
    const at = (v: number) => {
      w.assign(tf.scalar(v));
      return tf.tidy(() => loss().dataSync()[0]!);
    };
    const h = 2e-3; // float32 loss: a central difference good to ~1e-3
    const fd = (at(w0 + h) - at(w0 - h)) / (2 * h);
    w.assign(tf.scalar(w0));
    expect(g).not.toBe(0);
    expect(Math.abs(g - fd)).toBeLessThan(0.01 * Math.abs(fd));
    tf.dispose([xs, grads[w.name]!]);
  });
});

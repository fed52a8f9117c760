import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { buildNetwork } from './network.js';
import { decode } from './decoder.js';
import { lifDef, makeModel } from './__tests__/models.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

function near(t: tf.Tensor, want: number[]) {
  expect(t.shape).toEqual([2, 2]);
  const v = t.dataSync();
  want.forEach((w, i) => expect(v[i]).toBeCloseTo(w, 6));
}

describe('decoders', () => {
  // T = 3, B = 2, K = 2, time-major rows: t0b0, t0b1, t1b0, t1b1, t2b0, t2b1
  const y = () => tf.tensor2d([1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1], [6, 2]);

  it('rate is the mean over T, count the sum', () => {
    near(decode({ kind: 'rate' }, y(), 3), [2 / 3, 1 / 3, 1 / 3, 2 / 3]);
    expect(decode({ kind: 'count' }, y(), 3).arraySync()).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('membrane averages the given membrane trace', () => {
    const m = tf.tensor2d([0.5, 1, 0, 2, 1, 1, 0, 0, 1.5, 0, 1, 1], [6, 2]);
    near(decode({ kind: 'membrane' }, y(), 3, m), [1, 2 / 3, 1 / 3, 1]);
  });

  it('a membrane-decoded network reads H of its last LIF layer, not its spikes', () => {
    // dense(1) with weight 1.5 would need init control; instead feed a constant through an identity-like model:
    const model = makeModel([1], 4, [{ kind: 'neuron', neuron: lifDef() }], { decoder: { kind: 'membrane' } });
    const net = buildNetwork(model, { seed: 0 });
    const out = net.forward(tf.tensor2d([[1.5]]), { training: false, rng: new Random(0) }).dataSync();
    // H: 0.75, 1.125, 0.75, 1.125 -> mean 0.9375
    expect(out[0]).toBeCloseTo(0.9375, 6);
    const rate = buildNetwork({ ...model, decoder: { kind: 'rate' } }, { seed: 0 });
    expect(rate.forward(tf.tensor2d([[1.5]]), { training: false, rng: new Random(0) }).dataSync()[0]).toBe(0.5);
    net.dispose();
    rate.dispose();
  });
});

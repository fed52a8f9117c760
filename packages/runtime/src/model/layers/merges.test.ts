import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../../node/backend/index.js';
import { buildAdd } from './add.js';
import { buildConcat } from './concat.js';
import { buildIand } from './iand.js';
import { delaySequence } from './delay.js';

beforeAll(async () => {
  await loadBackend('cpu');
});


describe('merges and delay', () => {
  it('add sums, iand is (not a) and b, concat joins the channel (last) axis', () => {
    const a = tf.tensor2d([[1, 0, 1, 0]]);
    const b = tf.tensor2d([[1, 1, 0, 0]]);
    expect(Array.from(buildAdd({ kind: 'add', id: 'add_0', inShape: [4], outShape: [4] }).merge([a, b, b]).dataSync())).toEqual([3, 2, 1, 0]);
    expect(Array.from(buildIand({ kind: 'iand', id: 'iand_0', inShape: [4], outShape: [4] }).merge([a, b]).dataSync())).toEqual([0, 1, 0, 0]);
    const c = buildConcat({ kind: 'concat', id: 'concat_0', inShape: [1, 2, 2], outShape: [3, 2, 2] }).merge([tf.ones([1, 2, 2, 1]), tf.zeros([1, 2, 2, 2])]);
    expect(c.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(c.dataSync()).slice(0, 3)).toEqual([1, 0, 0]);
    expect(() => buildIand({ kind: 'iand', id: 'iand_0', inShape: [4], outShape: [4] }).merge([a])).toThrow(/2 inputs/);
  });

  it('delay shifts a time-major sequence by steps*B rows', () => {
    // T = 3, B = 2: rows t*2 + b
    const x = tf.tensor2d([[1], [2], [3], [4], [5], [6]]);
    const layer = { kind: 'delay' as const, id: 'delay_0', inShape: [1], outShape: [1], steps: 2 };
    expect(Array.from(delaySequence(layer, x, 3).dataSync())).toEqual([0, 0, 0, 0, 1, 2]);
    expect(Array.from(delaySequence({ ...layer, steps: 5 }, x, 3).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

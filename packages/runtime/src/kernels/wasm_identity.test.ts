import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { registerWasmSharedIdentity } from './wasm_identity.js';

describe('Identity on wasm', () => {
  it('shares the data instead of copying it, and each handle frees on its own', async () => {
    await loadBackend('wasm');
    registerWasmSharedIdentity();
    const before = tf.memory();
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    // one data buffer for both handles
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1);
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('keeps values and gradients: a saved input survives its original being freed', async () => {
    await loadBackend('wasm');
    registerWasmSharedIdentity();
    const x = tf.tensor1d([0.5, -1, 2]);
    // tfjs saves x (through Identity) for Square's gradient: 2x
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(t)))(x);
    expect(Array.from(g.dataSync())).toEqual([1, -2, 4]);
    const i = tf.tidy(() => tf.clone(tf.tensor1d([7, 8], 'int32')));
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([7, 8]);
    const b = tf.tidy(() => tf.clone(tf.tensor1d([1, 0], 'bool')));
    expect(Array.from(b.dataSync())).toEqual([1, 0]);
    tf.dispose([x, g, i, b]);
  });

  it('a variable assigned after a clone leaves the clone unchanged', async () => {
    await loadBackend('wasm');
    registerWasmSharedIdentity();
    const v = tf.variable(tf.tensor1d([1, 2]));
    const c = tf.clone(v);
    v.assign(tf.tensor1d([3, 4]));
    expect(Array.from(c.dataSync())).toEqual([1, 2]);
    expect(Array.from(v.dataSync())).toEqual([3, 4]);
    tf.dispose([v, c]);
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

import * as tf from '@tensorflow/tfjs-core';
import { isSnncError } from '@snnc/ir';
import { afterAll, describe, expect, it } from 'vitest';
import { fusedNeuronAvailable } from '../../kernels/fused_neuron.js';
import { gradientsRegistered } from '../../kernels/gradients.js';
import { buildNeuron } from '../../model/layers/neuron.js';
import { neuronDef } from '../../model/__tests__/models.js';
import { loadBackend } from './load.js';

async function attempt<T>(p: Promise<T>): Promise<{ ok: T } | { err: unknown }> {
  try {
    return { ok: await p };
  } catch (err) {
    return { err };
  }
}

describe('loadBackend', () => {
  it('cpu: active, gradients and fused kernels registered, banner silenced', async () => {
    const b = await loadBackend('cpu');
    expect(b).toEqual({ name: 'cpu', detail: 'cpu (JavaScript)' });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.env().getBool('PROD')).toBe(true);
    expect(gradientsRegistered()).toBe(true);
    expect(fusedNeuronAvailable('cpu')).toBe(true);
  });

  it('wasm: SIMD, one thread (tfjs turns threads off in Node), binaries found in the package', async () => {
    const b = await loadBackend('wasm');
    expect(b.name).toBe('wasm');
    expect(b.detail).toBe('wasm (SIMD, 1 thread)');
    expect(tf.getBackend()).toBe('wasm');
    expect(fusedNeuronAvailable('wasm')).toBe(true);
    // loading again reuses the initialised backend
    expect((await loadBackend('wasm')).name).toBe('wasm');
    const y = tf.tidy(() => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same')).dataSync()[0]);
    expect(y).toBe(4 * 4 + 8 * 6 + 4 * 9); // corners, edges, inside
  });

  it('tensorflow: loads only when tfjs-node and its addon work, else SNN7006 (never a silent fallback); auto follows', async () => {
    const tfResult = await attempt(loadBackend('tensorflow'));
    if ('ok' in tfResult) {
      expect(tfResult.ok.name).toBe('tensorflow');
      expect(tfResult.ok.detail).toMatch(/^tensorflow \(tfjs-node 4\.22\.0, TensorFlow \d+\.\d+/);
      expect(tf.getBackend()).toBe('tensorflow'); // one shared tfjs-core
      // oneDNN on unless the user said otherwise (TensorFlow's default leaves it off on AVX2 CPUs)
      if (process.env['TF_ENABLE_ONEDNN_OPTS'] !== '0') expect(tfResult.ok.detail).not.toMatch(/oneDNN off/);
      expect(['0', '1']).toContain(process.env['TF_ENABLE_ONEDNN_OPTS']);
      // fused kernels there only as the native ops (tools/build-native-ops.sh), never as JS kernels
      // (copies in and out of TensorFlow); without them IF/LIF take the bptt path
      const native = /native neuron ops/.test(tfResult.ok.detail);
      expect(fusedNeuronAvailable('tensorflow')).toBe(native);
      const lif = buildNeuron({ kind: 'neuron', id: 'n', inShape: [1], outShape: [1], neuron: neuronDef('lif') }, 'auto');
      expect(lif.path(false)).toBe(native ? 'fused' : 'bptt');
      if (!native) expect(tfResult.ok.detail).toMatch(/neuron ops as tfjs ops/);
      expect((await loadBackend('auto')).name).toBe('tensorflow');
    } else {
      const e = tfResult.err;
      expect(isSnncError(e)).toBe(true);
      if (!isSnncError(e)) return;
      expect(e.code).toBe('SNN7006');
      expect(e.message).toMatch(/^backend `tensorflow` cannot be used: @tensorflow\/tfjs-node /);
      expect(tf.getBackend()).not.toBe('tensorflow');
      const auto = await loadBackend('auto');
      expect(auto.name).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
    }
  });
});

afterAll(async () => {
  await loadBackend('cpu');
});

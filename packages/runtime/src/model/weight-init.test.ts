import type { Model } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { buildNetwork } from './network.js';
import { initBound } from './weight-init.js';
import { reportModel } from './__tests__/models.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

const kernel = (m: Model, name: string) => {
  const net = buildNetwork(m, { seed: 3 });
  const v = Array.from(net.namedWeights()[name]!.dataSync());
  const bias = Array.from(net.namedWeights()[name.replace('kernel', 'bias')]!.dataSync());
  net.dispose();
  return { v, bias };
};

describe('weight initialisation schemes', () => {
  it('gives the bounds of PyTorch kaiming_uniform and xavier_uniform', () => {
    expect(initBound({ scheme: 'pytorch', gain: 1 }, 100, 10)).toBeCloseTo(0.1, 12);
    expect(initBound({ scheme: 'kaiming', gain: Math.SQRT2 }, 96, 10)).toBeCloseTo(Math.sqrt(6 / 96), 12);
    expect(initBound({ scheme: 'xavier', gain: 1 }, 20, 30)).toBeCloseTo(Math.sqrt(6 / 50), 12);
  });

  it('scales kernels drawn from the same stream, leaving biases and the default alone', () => {
    const base = reportModel(16, 8, 2);
    const plain = kernel(base, 'conv2d_1/kernel');
    expect(kernel({ ...base, init: { scheme: 'pytorch', gain: 1 } }, 'conv2d_1/kernel')).toEqual(plain);
    // conv2d_1: 4 input channels, 3x3 kernel, 8 filters: fan_in 36, fan_out 72
    const x = kernel({ ...base, init: { scheme: 'xavier', gain: 2 } }, 'conv2d_1/kernel');
    const ratio = initBound({ scheme: 'xavier', gain: 2 }, 36, 72) / (1 / 6);
    x.v.forEach((w, i) => expect(w).toBeCloseTo(plain.v[i]! * ratio, 6));
    expect(x.bias).toEqual(plain.bias);
    const d = kernel({ ...base, init: { scheme: 'kaiming', gain: 0.5 } }, 'dense_0/kernel');
    const bound = initBound({ scheme: 'kaiming', gain: 0.5 }, 16 * 9, 8);
    expect(Math.max(...d.v.map(Math.abs))).toBeLessThanOrEqual(bound * (1 + 1e-6));
    expect(Math.max(...d.v.map(Math.abs))).toBeGreaterThan(0.9 * bound);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import type { Surrogate } from '@snnc/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../node/backend/index.js';
import { spikeFunction, surrogateDerivative, surrogateDerivativeTensor } from './surrogate.js';

beforeAll(async () => {
  await loadBackend('cpu');
});

/** The formulas of ir.ts, written out independently. */
const analytic: Record<Surrogate['kind'], (x: number, a: number) => number> = {
  atan: (x, a) => a / (2 * (1 + ((Math.PI / 2) * a * x) ** 2)),
  sigmoid: (x, a) => {
    const s = 1 / (1 + Math.exp(-a * x));
    return a * s * (1 - s);
  },
  fast_sigmoid: (x, a) => 1 / (1 + a * Math.abs(x)) ** 2,
  triangle: (x, a) => a * Math.max(0, 1 - Math.abs(x)),
  piecewise_quadratic: (x, a) => Math.max(0, a - a * a * Math.abs(x)),
};

/** Smooth (C^0/C^1) step functions whose derivatives are the surrogates: the references. */
const primitive: Record<Surrogate['kind'], (x: number, a: number) => number> = {
  atan: (x, a) => Math.atan((Math.PI / 2) * a * x) / Math.PI + 0.5,
  sigmoid: (x, a) => 1 / (1 + Math.exp(-a * x)),
  fast_sigmoid: (x, a) => x / (1 + a * Math.abs(x)),
  triangle: (x, a) => (Math.abs(x) >= 1 ? (a / 2) * Math.sign(x) : a * (x - (x * Math.abs(x)) / 2)),
  piecewise_quadratic: (x, a) =>
    Math.abs(x) >= 1 / a ? 0.5 * Math.sign(x) + 0.5 : a * x - (a * a * x * Math.abs(x)) / 2 + 0.5,
};

const cases: Surrogate[] = [
  { kind: 'atan', alpha: 2 },
  { kind: 'sigmoid', alpha: 4 },
  { kind: 'fast_sigmoid', alpha: 25 },
  { kind: 'triangle', alpha: 0.3 },
  { kind: 'piecewise_quadratic', alpha: 1 },
];
// Points away from the kinks (|x| = 1, |x| = 1/alpha, 0 for |x|) so central differences are exact enough.
const xs = [-2.3, -0.77, -0.31, -0.05, 0.013, 0.2, 0.45, 0.93, 1.7];

describe.each(cases)('surrogate $kind', (s) => {
  it('forward is the Heaviside step with H(0) = 1', () => {
    const y = tf.tidy(() => spikeFunction(s)(tf.tensor1d([-1, -1e-6, 0, 1e-6, 2])).dataSync());
    expect(Array.from(y)).toEqual([0, 0, 1, 1, 1]);
  });

  it('backward equals the analytic formula (scalar, tensor and autodiff paths)', () => {
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(spikeFunction(s)(x)))(tf.tensor1d(xs)).dataSync());
    const t = tf.tidy(() => surrogateDerivativeTensor(s, tf.tensor1d(xs)).dataSync());
    const scalar = surrogateDerivative(s);
    xs.forEach((x, i) => {
      const want = analytic[s.kind](x, s.alpha);
      expect(scalar(x)).toBeCloseTo(want, 12);
      expect(t[i]).toBeCloseTo(want, 5);
      expect(g[i]).toBeCloseTo(want, 5);
    });
  });

  it('is the derivative of its smooth reference step (central finite difference)', () => {
    const h = 1e-6;
    const scalar = surrogateDerivative(s);
    for (const x of xs) {
      const fd = (primitive[s.kind](x + h, s.alpha) - primitive[s.kind](x - h, s.alpha)) / (2 * h);
      expect(scalar(x)).toBeCloseTo(fd, 6);
    }
    // and the reference really is a step: 0 far below, 1 far above (up to its scale)
    const lo = primitive[s.kind](-1e6, s.alpha);
    const hi = primitive[s.kind](1e6, s.alpha);
    expect(hi - lo).toBeGreaterThan(0);
  });

  it('scales the upstream gradient', () => {
    const g = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(spikeFunction(s)(x), tf.tensor1d([3, -2]))))(tf.tensor1d([0.1, 0.2])).dataSync(),
    );
    expect(g[0]).toBeCloseTo(3 * analytic[s.kind](0.1, s.alpha), 5);
    expect(g[1]).toBeCloseTo(-2 * analytic[s.kind](0.2, s.alpha), 5);
  });
});

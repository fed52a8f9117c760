import * as tf from '@tensorflow/tfjs-core';
import { assertNever, type Surrogate } from '@snnc/ir';

/**
 * Surrogate gradients of the Heaviside spike S = H(x), x = membrane - threshold. The forward
 * pass is always the exact step (H(0) = 1, as SpikingJelly's `heaviside`); only the backward
 * pass uses the surrogate derivative dS/dx given by the formulas in `ir.ts`.
 */

/** dS/dx for one value, in float64: the scalar reference used by the fused kernels. */
export function surrogateDerivative(s: Surrogate): (x: number) => number {
  const a = s.alpha;
  switch (s.kind) {
    case 'atan': {
      const k = (Math.PI / 2) * a;
      return (x) => {
        const u = k * x;
        return a / (2 * (1 + u * u));
      };
    }
    case 'sigmoid':
      return (x) => {
        const sg = 1 / (1 + Math.exp(-a * x));
        return a * sg * (1 - sg);
      };
    case 'fast_sigmoid':
      return (x) => {
        const d = 1 + a * Math.abs(x);
        return 1 / (d * d);
      };
    case 'triangle':
      return (x) => a * Math.max(0, 1 - Math.abs(x));
    case 'piecewise_quadratic':
      return (x) => Math.max(0, a - a * a * Math.abs(x));
    default:
      return assertNever(s);
  }
}

/** dS/dx as tensor ops (the composed path). */
export function surrogateDerivativeTensor(s: Surrogate, x: tf.Tensor): tf.Tensor {
  const a = s.alpha;
  switch (s.kind) {
    case 'atan': {
      // alpha/2 / (1 + (k x)^2) = (alpha / (2 k^2)) / (1/k^2 + x^2): three ops instead of four
      const k = (Math.PI / 2) * a;
      return tf.div(a / (2 * k * k), tf.add(1 / (k * k), tf.square(x)));
    }
    case 'sigmoid': {
      const sg = tf.sigmoid(tf.mul(x, a));
      return tf.mul(tf.mul(sg, tf.sub(1, sg)), a);
    }
    case 'fast_sigmoid':
      return tf.reciprocal(tf.square(tf.add(1, tf.mul(tf.abs(x), a))));
    case 'triangle':
      return tf.mul(tf.relu(tf.sub(1, tf.abs(x))), a);
    case 'piecewise_quadratic':
      return tf.relu(tf.sub(a, tf.mul(tf.abs(x), a * a)));
    default:
      return assertNever(s);
  }
}

/** S = H(x) with `s`'s surrogate gradient. x: any shape, float32. */
export function spikeFunction(s: Surrogate): (x: tf.Tensor) => tf.Tensor {
  const f = tf.customGrad((x, save) => {
    const xt = x as tf.Tensor;
    (save as tf.GradSaveFunc)([xt]);
    return {
      value: tf.cast(tf.greaterEqual(xt, 0), 'float32'),
      gradFunc: (dy, saved) => tf.mul(dy, surrogateDerivativeTensor(s, saved[0]!)),
    };
  });
  return (x) => f(x);
}

/** A copy of `x` that the backward pass treats as a constant (PyTorch `detach`). */
export const detach: (x: tf.Tensor) => tf.Tensor = (() => {
  const f = tf.customGrad((x) => {
    const xt = x as tf.Tensor;
    return { value: tf.clone(xt), gradFunc: (dy) => tf.zerosLike(dy) };
  });
  return (x: tf.Tensor) => f(x);
})();

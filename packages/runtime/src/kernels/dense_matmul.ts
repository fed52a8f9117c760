import * as tf from '@tensorflow/tfjs-core';

/**
 * How a dense layer's matMul computes its gradients.
 * - `native`: tfjs's autodiff, dx = dy W^T and dW = x^T dy as matMuls with transposeB / transposeA.
 * - `transposed`: the same products with W and x transposed first, so both are plain matMuls. On
 *   wasm a transposed operand sends BatchMatMul to a naive loop (~0.9 GFLOP/s) instead of XNNPACK:
 *   10 ms each for the report network's 1152 -> 64 layer at a worker's batch, 1.3-1.9 ms this way
 *   (the transposes themselves are ~0.1 ms).
 */
export type MatMulGradient = 'native' | 'transposed';

/** The measured-fastest dense gradient per backend (docs/runtime.md). */
export function matMulGradientFor(backendName: string): MatMulGradient {
  return backendName === 'wasm' ? 'transposed' : 'native';
}

/** x [N, in] times w [in, out] -> [N, out], with the gradients computed as `gradient` says. */
export function denseMatMul(x: tf.Tensor2D, w: tf.Tensor2D, gradient: MatMulGradient): tf.Tensor2D {
  if (gradient === 'native') return tf.matMul(x, w);
  const f = tf.customGrad((xIn, wIn, save) => {
    const xs = xIn as tf.Tensor2D;
    const ws = wIn as tf.Tensor2D;
    (save as tf.GradSaveFunc)([xs, ws]);
    return {
      value: tf.matMul(xs, ws),
      gradFunc: (dy, saved) => {
        const [x0, w0] = saved as [tf.Tensor2D, tf.Tensor2D];
        return tf.tidy(() => [tf.matMul(dy as tf.Tensor2D, tf.transpose(w0)), tf.matMul(tf.transpose(x0), dy as tf.Tensor2D)]);
      },
    };
  });
  return f(x, w) as tf.Tensor2D;
}

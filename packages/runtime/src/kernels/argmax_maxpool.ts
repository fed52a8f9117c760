import * as tf from '@tensorflow/tfjs-core';

/**
 * Max pooling that keeps each window's winner: `SnncMaxPool` (x -> [y, argmax]) and
 * `SnncMaxPoolGrad` ({dy, argmax} -> dx), NHWC, 'valid'. Its backward scatters dy to the winners
 * instead of re-finding them from x and y at full size (tfjs's MaxPoolGrad), which after a
 * spiking layer was 10 % of a training step on tensorflow. Ties go to the first maximum in
 * row-major window order, as the cpu and tensorflow backends' own gradients do. Only backends
 * that register the kernels run it: tensorflow, through the native ops
 * (packages/runtime/native/snnc_maxpool.c, registered by node/backend/tf_native_ops.ts).
 */
export const ARGMAX_MAX_POOL = 'SnncMaxPool';
export const ARGMAX_MAX_POOL_GRAD = 'SnncMaxPoolGrad';

/** Whether the active backend has both kernels. */
export function argmaxMaxPoolAvailable(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(ARGMAX_MAX_POOL, backendName) !== undefined && tf.getKernel(ARGMAX_MAX_POOL_GRAD, backendName) !== undefined;
}

/** y = maxPool(x, size, stride, 'valid') with the winners' gradient; needs the active backend's kernels. */
export function argmaxMaxPool(x: tf.Tensor4D, size: [number, number], stride: [number, number]): tf.Tensor4D {
  const attrs = { kernelH: size[0], kernelW: size[1], strideH: stride[0], strideW: stride[1] };
  const inputShape = [...x.shape];
  const f = tf.customGrad((xIn, save) => {
    const [y, argmax] = tf.engine().runKernel(ARGMAX_MAX_POOL, { x: xIn as tf.Tensor }, attrs) as tf.Tensor[];
    (save as tf.GradSaveFunc)([argmax!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => tf.engine().runKernel(ARGMAX_MAX_POOL_GRAD, { dy: dy as tf.Tensor, argmax: saved[0]! }, { ...attrs, inputShape }) as tf.Tensor,
    };
  });
  return f(x) as tf.Tensor4D;
}

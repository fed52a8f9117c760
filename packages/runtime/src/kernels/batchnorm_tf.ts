import * as tf from '@tensorflow/tfjs-core';

/**
 * Training-mode batch norm as TensorFlow's own fused ops, on the `tensorflow` backend only.
 *
 * Why: the closed-form path in batchnorm.ts is ~10 element-wise tfjs ops each way (mean, centre,
 * square, mean, rsqrt, scale, shift; sum, sum of products, three combinations), every one a
 * full-size pass over the activation and its own TensorFlow eager op dispatch. FusedBatchNormV3
 * forward and FusedBatchNormGradV3 backward are one native op each way (oneDNN's batch
 * normalisation when TF_ENABLE_ONEDNN_OPTS=1, else TensorFlow's Eigen kernel). tfjs-node has no
 * kernel that runs them in training mode (its FusedBatchNorm kernel is inference-only), so they
 * are called through the backend object. tfjs-node is optional and never imported here: the
 * backend object is only reached at run time, through tf.backend(), when it is the active one.
 *
 * Op signatures (tensorflow/core/ops/nn_ops.cc; CPU kernels fused_batch_norm_op.cc and
 * mkl/mkl_fused_batch_norm_op.cc):
 *   FusedBatchNormV3(x: T, scale: U, offset: U, mean: U, variance: U)
 *     -> y, batch_mean, batch_variance, reserve_space_1, reserve_space_2, reserve_space_3
 *   FusedBatchNormGradV3(y_backprop: T, x: T, scale: float, reserve_space_1: U,
 *     reserve_space_2: U, reserve_space_3: U)
 *     -> x_backprop, scale_backprop, offset_backprop, reserve_space_4, reserve_space_5
 * With is_training and exponential_avg_factor 1 the mean/variance inputs may be empty.
 * batch_variance is Bessel-corrected (times M/(M-1), for TensorFlow's running variance);
 * reserve_space_1/2 are the batch mean and the BIASED batch variance on both CPU kernels, so
 * those are what this returns (the caller applies its own M/(M-1) to the running variance).
 * reserve_space_3 is an empty placeholder on CPU (oneDNN's workspace only with a fused ReLU);
 * it is passed back to the gradient op unread.
 */

/** A TensorFlow eager op attribute as tfjs-node's binding takes it. */
interface OpAttr {
  name: string;
  type: number;
  value: number | string | boolean;
}

/** The part of tfjs-node's NodeJSKernelBackend (dist/nodejs_kernel_backend.js) used here. */
interface TfjsNodeBackend {
  binding: { TF_ATTR_FLOAT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_ATTR_TYPE: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

/**
 * Whether batchNormTrain can run x as the native fused ops: the `tensorflow` backend is active,
 * x is float32 NHWC [N, H, W, C] or [N, C] (run as [N, 1, 1, C]; the kernels take rank 4 only),
 * and gamma and beta are float32 [C]. Cross-replica statistics are batchnorm.ts's to rule out.
 */
export function nativeBatchNormApplies(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): boolean {
  if (tf.getBackend() !== 'tensorflow') return false;
  if (x.rank !== 4 && x.rank !== 2) return false;
  const c = x.shape[x.rank - 1]!;
  const vector = (t: tf.Tensor) => t.dtype === 'float32' && t.rank === 1 && t.shape[0] === c;
  return x.dtype === 'float32' && x.size > 0 && vector(gamma) && vector(beta);
}

function tfjsNodeBackend(): TfjsNodeBackend {
  const backend = tf.backend() as unknown as Partial<TfjsNodeBackend>;
  if (backend.binding === undefined || typeof backend.executeMultipleOutputs !== 'function') {
    throw new Error(`batch norm: the active backend (${tf.getBackend()}) is not tfjs-node's`);
  }
  return backend as TfjsNodeBackend;
}

/** NHWC rank 4 as the ops want it: [N, C] becomes [N, 1, 1, C]. */
function asNhwc(t: tf.Tensor): tf.Tensor4D {
  if (t.rank === 4) return t as tf.Tensor4D;
  const [n, c] = t.shape as [number, number];
  return tf.reshape(t, [n, 1, 1, c]);
}

/**
 * The same function as batchnorm.ts's closed-form batchNormTrain (values, gradients, returned
 * batch mean and biased variance), as FusedBatchNormV3 / FusedBatchNormGradV3. Call only where
 * nativeBatchNormApplies. The statistics are kept out of any tidy scope: the caller disposes them.
 */
export function nativeBatchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor; count: number } {
  const backend = tfjsNodeBackend();
  const { binding } = backend;
  const floatType = (name: string): OpAttr => ({ name, type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT });
  const common: OpAttr[] = [
    floatType('T'),
    floatType('U'),
    { name: 'epsilon', type: binding.TF_ATTR_FLOAT, value: eps },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: binding.TF_ATTR_BOOL, value: true },
  ];
  // 1: batch_mean/batch_variance are the batch's own, not blended with the (empty) inputs.
  const forwardAttrs: OpAttr[] = [...common, { name: 'exponential_avg_factor', type: binding.TF_ATTR_FLOAT, value: 1 }];
  const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | null = null;
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const x4 = asNhwc(xIn as tf.Tensor);
    const g = gIn as tf.Tensor;
    const none = tf.tensor1d([], 'float32');
    const [y, , , savedMean, savedVariance, reserve] = backend.executeMultipleOutputs(
      'FusedBatchNormV3',
      forwardAttrs,
      [x4, g, bIn as tf.Tensor, none, none],
      6,
    ) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    // The forward runs in its own scope: keep the statistics for the caller.
    stats = { mean: tf.keep(savedMean), variance: tf.keep(savedVariance) };
    (save as tf.GradSaveFunc)([x4, g, savedMean, savedVariance, reserve]);
    return {
      value: tf.reshape(y, (xIn as tf.Tensor).shape),
      gradFunc: (dy, saved) => {
        const [xs, gs, m, v, r] = saved as [tf.Tensor4D, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const [dx, dgamma, dbeta] = backend.executeMultipleOutputs(
          'FusedBatchNormGradV3',
          common,
          [asNhwc(dy as tf.Tensor), xs, gs, m, v, r],
          5,
        ) as [tf.Tensor, tf.Tensor, tf.Tensor];
        return [tf.reshape(dx, (dy as tf.Tensor).shape), dgamma, dbeta];
      },
    };
  });
  const y = f(x, gamma, beta);
  if (stats === null) throw new Error('nativeBatchNormTrain: the forward pass did not run');
  const { mean, variance } = stats;
  return { y, mean, variance, count };
}

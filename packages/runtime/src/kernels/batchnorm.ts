import * as tf from '@tensorflow/tfjs-core';
import type { CrossReplicaSum } from '../train/parallel/all-reduce.js';
import { BN_CENTRED_SQUARES, BN_GRAD_INPUT, BN_GRAD_SUMS, BN_NORMALIZE, BN_SUM, jsBatchNormApplies, registerJsBatchNormKernels } from './batchnorm_js.js';
import { nativeBatchNormApplies, nativeBatchNormTrain } from './batchnorm_tf.js';

/**
 * Set while a data-parallel training step runs (train/parallel): batch statistics and their
 * gradients are then summed over every replica's rows, so N replicas normalise exactly as one
 * replica holding the whole batch would (synchronised batch norm).
 */
let crossReplica: CrossReplicaSum | null = null;

/** Runs `f` with batch norm's statistics taken over all replicas of `sum`. */
export function withCrossReplicaBatchNorm<T>(sum: CrossReplicaSum, f: () => T): T {
  const previous = crossReplica;
  crossReplica = sum;
  try {
    return f();
  } finally {
    crossReplica = previous;
  }
}

/** Sums a per-channel tensor over the replicas (the local value itself without replicas). */
function replicaSum(t: tf.Tensor, reducer: CrossReplicaSum): tf.Tensor1D {
  const total = reducer.sum(Float64Array.from(t.dataSync()));
  return tf.tensor1d(Float32Array.from(total));
}

/**
 * Batch normalisation in affine form: scale = gamma / sqrt(var + eps),
 * y = x scale + (beta - mean scale). Same values and gradients as tf.batchNorm, but its
 * backward works on per-channel vectors instead of tiling them to the activation shape
 * (the FusedBatchNorm gradient's Tile was a hot spot on wasm). Channels are the last axis.
 */
export function affineBatchNorm(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): tf.Tensor {
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(mean, scale)));
}

/** Per-channel batch mean and biased variance over every axis but the last. */
export function channelMoments(x: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor; count: number } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const count = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return { mean, variance, count };
}

/** What batchNormTrain returns: y, the batch mean and biased variance, and the values per channel. */
export interface BatchNormTrainResult {
  y: tf.Tensor;
  mean: tf.Tensor;
  variance: tf.Tensor;
  count: number;
}

/**
 * Training-mode batch norm with batch statistics and the closed-form backward pass:
 * xhat = (x - mean) rsqrt(var + eps), y = gamma xhat + beta;
 * dbeta = sum(dy), dgamma = sum(dy xhat), dx = gamma rsqrt(var + eps) (dy - dbeta/M - xhat dgamma/M)
 * over the M = N*H*W values of each channel (of every replica's rows in a data-parallel step). Autodiff through moments + affine form takes about
 * twice the full-size ops. Returns the batch mean and biased variance too, for the running
 * statistics; they are kept out of any tidy scope, so the caller disposes them.
 * How it runs depends on the active backend: on tensorflow, outside data-parallel steps, as
 * TensorFlow's fused batch-norm ops (batchnorm_tf.ts: one native op each way instead of ~10 tfjs
 * ops); on cpu and wasm as JS kernels over the backend's memory (batchnorm_js.ts: one pass per
 * step, instead of tfjs reductions that wasm runs as a transpose and a sum); elsewhere (webgpu,
 * and tensorflow's cross-replica steps) as tfjs ops (closedFormBatchNormTrain).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): BatchNormTrainResult {
  if (crossReplica === null && nativeBatchNormApplies(x, gamma, beta)) return nativeBatchNormTrain(x, gamma, beta, eps);
  if (jsBatchNormApplies(x, gamma, beta)) return jsBatchNormTrain(x, gamma, beta, eps);
  return closedFormBatchNormTrain(x, gamma, beta, eps);
}

/** Values per channel over the whole batch: this replica's rows plus every other replica's. */
function batchCount(x: tf.Tensor, reducer: CrossReplicaSum | null): number {
  const localCount = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return reducer === null ? localCount : reducer.sum(Float64Array.of(localCount))[0]!;
}

/** batchNormTrain as tfjs ops, on any backend (and the reference for the other paths). */
export function closedFormBatchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): BatchNormTrainResult {
  const reducer = crossReplica;
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = batchCount(x, reducer);
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | null = null;
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const xt = xIn as tf.Tensor;
    const g = gIn as tf.Tensor;
    const mean = reducer === null ? tf.mean(xt, axes) : tf.div(replicaSum(tf.sum(xt, axes), reducer), count);
    const centred = tf.sub(xt, mean);
    const variance = reducer === null ? tf.mean(tf.square(centred), axes) : tf.div(replicaSum(tf.sum(tf.square(centred), axes), reducer), count);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(centred, rstd);
    // The forward runs in its own scope: keep the statistics for the caller.
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    (save as tf.GradSaveFunc)([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), bIn as tf.Tensor),
      gradFunc: (dy, saved) => {
        const [xh, rs, gm] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const dbeta = tf.sum(dy, axes);
        const dgamma = tf.sum(tf.mul(dy, xh), axes);
        // dx needs the sums over the whole batch; gamma's and beta's gradients stay this
        // replica's share (the replicas' parameter gradients are summed after the step).
        const dbetaAll = reducer === null ? dbeta : replicaSum(dbeta, reducer);
        const dgammaAll = reducer === null ? dgamma : replicaSum(dgamma, reducer);
        const inner = tf.sub(tf.sub(dy, tf.div(dbetaAll, count)), tf.mul(xh, tf.div(dgammaAll, count)));
        return [tf.mul(inner, tf.mul(gm, rs)), dgamma, dbeta];
      },
    };
  });
  const y = f(x, gamma, beta);
  if (stats === null) throw new Error('batchNormTrain: the forward pass did not run');
  const { mean, variance } = stats;
  return { y, mean, variance, count };
}

/**
 * The closed form's steps as batchnorm_js.ts's kernels on cpu and wasm, with the same replica
 * sums in the same order (count, sum x, centred sum of squares; sum dy, sum dy xhat): each
 * kernel returns this replica's per-channel sums and the statistics come from their totals.
 * xhat is recomputed from x, mean and variance in the backward rather than saved.
 */
function jsBatchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): BatchNormTrainResult {
  registerJsBatchNormKernels();
  const reducer = crossReplica;
  const count = batchCount(x, reducer);
  const total = (local: tf.Tensor): tf.Tensor => (reducer === null ? local : replicaSum(local, reducer));
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) => tf.engine().runKernel(name, inputs, attrs);
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | null = null;
  const f = tf.customGrad((xIn, gIn, bIn, save) => {
    const xt = xIn as tf.Tensor;
    const g = gIn as tf.Tensor;
    const mean = tf.div(total(run(BN_SUM, { x: xt }) as tf.Tensor), count);
    const variance = tf.div(total(run(BN_CENTRED_SQUARES, { x: xt, mean }) as tf.Tensor), count);
    // The forward runs in its own scope: keep the statistics for the caller.
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    (save as tf.GradSaveFunc)([xt, mean, variance, g]);
    return {
      value: run(BN_NORMALIZE, { x: xt, mean, variance, gamma: g, beta: bIn as tf.Tensor }, { eps }) as tf.Tensor,
      gradFunc: (dy, saved) => {
        const [xs, mu, v, gm] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const [dbeta, dgamma] = run(BN_GRAD_SUMS, { dy: dy as tf.Tensor, x: xs, mean: mu, variance: v }, { eps }) as [tf.Tensor, tf.Tensor];
        // As in the closed form: dx from the whole batch's sums, gamma's and beta's gradients
        // this replica's share.
        const sumDy = total(dbeta);
        const sumDyXhat = total(dgamma);
        const dx = run(BN_GRAD_INPUT, { dy: dy as tf.Tensor, x: xs, mean: mu, variance: v, gamma: gm, sumDy, sumDyXhat }, { eps, count }) as tf.Tensor;
        return [dx, dgamma, dbeta];
      },
    };
  });
  const y = f(x, gamma, beta);
  if (stats === null) throw new Error('batchNormTrain: the forward pass did not run');
  const { mean, variance } = stats;
  return { y, mean, variance, count };
}

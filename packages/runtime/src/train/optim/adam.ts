import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerSnapshot, Param } from './optimizer.js';
import { SlotStore } from './slots.js';

export interface AdamConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true: AdamW's decoupled decay p *= 1 - lr wd; false: Adam's L2 term g += wd p. */
  decoupled: boolean;
}

/** The fused step's kernel: inputs p, m, v, g and scalars [stepSize, sqrtBc2, decay]; outputs p1, m1, v1. */
export const ADAM_KERNEL = 'SnncAdam';

/**
 * Adam / AdamW exactly as torch.optim.Adam / AdamW (amsgrad off):
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * tfjs 4.22's tf.train.adam places eps the same way (checked in the tests), but has neither
 * weight decay nor AdamW, keeps its slots under tfjs-global variable names and its step count
 * in a private accumulator; this one has both decays and a by-name snapshot for checkpoints.
 * (TensorFlow's Python Adam differs: it adds eps before the sqrt(1 - b2^t) correction.)
 *
 * Where the backend has the `SnncAdam` kernel (tensorflow with snnc's native ops,
 * runtime/native/snnc_adam.c) a parameter's step is that one op, with the same float32
 * arithmetic in the same order, instead of ~13 ops and ~9 scalar uploads.
 */
export function adam(params: readonly Param[], config: AdamConfig): Optimizer {
  const store = new SlotStore(config.decoupled ? 'adamw' : 'adam', params, ['m', 'v']);
  const { beta1, beta2, eps, weightDecay, decoupled } = config;
  return {
    kind: store.kind,
    params,
    apply(grads, lr) {
      if (grads.length !== params.length) throw new Error(`adam: expected ${params.length} gradients, got ${grads.length}`);
      params.forEach((param, i) => {
        const grad = grads[i];
        if (grad === undefined) return;
        const m = store.slot(param, 'm');
        const v = store.slot(param, 'v');
        const t = store.increment(param);
        const stepSize = lr / (1 - beta1 ** t);
        const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
        if (tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined) {
          tf.tidy(() => {
            // decay: the factor p is scaled by (AdamW) or the L2 coefficient (Adam); unused without decay
            const decay = weightDecay === 0 ? 0 : decoupled ? 1 - lr * weightDecay : weightDecay;
            const scalars = tf.tensor1d([stepSize, sqrtBc2, decay], 'float32');
            const attrs = { beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, eps, decayMode: weightDecay === 0 ? 'none' : decoupled ? 'decoupled' : 'l2' };
            const [p1, m1, v1] = tf.engine().runKernel(ADAM_KERNEL, { p: param.variable, m, v, g: grad, scalars }, attrs) as tf.Tensor[];
            m.assign(m1!);
            v.assign(v1!);
            param.variable.assign(p1!);
          });
          return;
        }
        tf.tidy(() => {
          let p: tf.Tensor = param.variable;
          let g: tf.Tensor = grad;
          if (weightDecay !== 0) {
            if (decoupled) p = tf.mul(p, 1 - lr * weightDecay);
            else g = tf.add(g, tf.mul(p, weightDecay));
          }
          const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
          const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
          const denom = tf.add(tf.div(tf.sqrt(v1), sqrtBc2), eps);
          m.assign(m1);
          v.assign(v1);
          param.variable.assign(tf.sub(p, tf.mul(tf.div(m1, denom), stepSize)));
        });
      });
    },
    snapshot: () => store.snapshot(),
    restore: (s: OptimizerSnapshot) => store.restore(s),
    dispose: () => store.dispose(),
  };
}

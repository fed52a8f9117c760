import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer, OptimizerSnapshot, Param } from './optimizer.js';
import { SlotStore } from './slots.js';

export interface SgdConfig {
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * SGD as torch.optim.SGD (dampening 0):
 *   d = g + wd p
 *   buf = d on the first update, else momentum buf + d
 *   d = nesterov ? d + momentum buf : buf
 *   p -= lr d
 * The first update copies d into the buffer instead of decaying a zero buffer, as PyTorch does.
 */
export function sgd(params: readonly Param[], config: SgdConfig): Optimizer {
  const { momentum, nesterov, weightDecay } = config;
  if (nesterov && momentum <= 0) throw new Error('sgd: nesterov needs momentum > 0');
  const store = new SlotStore('sgd', params, momentum === 0 ? [] : ['momentum']);
  return {
    kind: 'sgd',
    params,
    apply(grads, lr) {
      if (grads.length !== params.length) throw new Error(`sgd: expected ${params.length} gradients, got ${grads.length}`);
      params.forEach((param, i) => {
        const grad = grads[i];
        if (grad === undefined) return;
        const first = store.count(param) === 0;
        store.increment(param);
        tf.tidy(() => {
          let d: tf.Tensor = weightDecay === 0 ? grad : tf.add(grad, tf.mul(param.variable, weightDecay));
          if (momentum !== 0) {
            const buf = store.slot(param, 'momentum');
            const b1 = first ? d : tf.add(tf.mul(buf, momentum), d);
            buf.assign(b1);
            d = nesterov ? tf.add(d, tf.mul(b1, momentum)) : b1;
          }
          param.variable.assign(tf.sub(param.variable, tf.mul(d, lr)));
        });
      });
    },
    snapshot: () => store.snapshot(),
    restore: (s: OptimizerSnapshot) => store.restore(s),
    dispose: () => store.dispose(),
  };
}

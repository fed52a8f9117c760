import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '@snnc/ir';
import { argmaxMaxPool, argmaxMaxPoolAvailable } from '../../kernels/argmax_maxpool.js';
import type { ForwardContext, LayerRuntime } from '../context.js';

type PoolLayer = Extract<Layer, { kind: 'maxpool' | 'avgpool' }>;

/** Shared by maxpool.ts and avgpool.ts: 'valid' pooling (PyTorch's floor mode), NHWC. */
export function buildPool(layer: PoolLayer, op: 'max' | 'avg'): LayerRuntime {
  return {
    id: layer.id,
    weights: {},
    trainable: [],
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== 4) throw new Error(`${layer.id}: expected a rank-4 NHWC input, got rank ${x.rank}`);
      const x4 = x as tf.Tensor4D;
      if (op === 'avg') return tf.avgPool(x4, layer.size, layer.stride, 'valid');
      // The winner-keeping max pool where the backend has it (cpu and wasm: JS loops; tensorflow: the native ops).
      return argmaxMaxPoolAvailable() ? argmaxMaxPool(x4, layer.size, layer.stride) : tf.maxPool(x4, layer.size, layer.stride, 'valid');
    },
  };
}

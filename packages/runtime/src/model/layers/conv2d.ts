import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Random } from '@snnc/ir';
import { conv2d, convGradientFor } from '../../kernels/conv2d.js';
import type { ForwardContext, LayerRuntime } from '../context.js';
import { makeVariable, pytorchBound, uniformTensor } from '../init.js';

type Conv2dLayer = Extract<Layer, { kind: 'conv2d' }>;

/**
 * 2-D convolution over NHWC activations. kernel [KH, KW, C_in, C_out], bias [C_out];
 * PyTorch default init. `inputGrad` is false when nothing before this layer is trainable,
 * so the backward pass skips dL/dx (the first conv sees the encoded image).
 */
export function buildConv2d(layer: Conv2dLayer, rng: Random, inputGrad: boolean): LayerRuntime {
  const cin = layer.inShape[0];
  if (layer.inShape.length !== 3 || cin === undefined) {
    throw new Error(`${layer.id}: expected a [C, H, W] input shape, got [${layer.inShape.join(', ')}]`);
  }
  const [kh, kw] = layer.kernel;
  const bound = pytorchBound(cin * kh * kw);
  const kernel = makeVariable(uniformTensor(rng, [kh, kw, cin, layer.filters], bound), true);
  const weights: Record<string, tf.Variable> = { kernel };
  const trainable = [kernel];
  let bias: tf.Variable | null = null;
  if (layer.bias) {
    bias = makeVariable(uniformTensor(rng, [layer.filters], bound), true);
    weights['bias'] = bias;
    trainable.push(bias);
  }
  return {
    id: layer.id,
    weights,
    trainable,
    apply(x: tf.Tensor, _ctx: ForwardContext): tf.Tensor {
      if (x.rank !== 4) throw new Error(`${layer.id}: expected a rank-4 NHWC input, got rank ${x.rank}`);
      const y = conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, {
        stride: layer.stride,
        padding: layer.padding,
        inputGrad,
        gradient: convGradientFor(tf.getBackend()),
      });
      return bias === null ? y : tf.add(y, bias);
    },
  };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Layer, Model, WeightInit } from '@snnc/ir';
import { pytorchBound } from './init.js';

/** fan_in and fan_out of a layer's kernel, or null for layers without one. */
export function kernelFans(layer: Layer): { fanIn: number; fanOut: number } | null {
  switch (layer.kind) {
    case 'conv2d':
      return { fanIn: layer.inShape[0]! * layer.kernel[0] * layer.kernel[1], fanOut: layer.filters * layer.kernel[0] * layer.kernel[1] };
    case 'conv1d':
      return { fanIn: layer.inShape[0]! * layer.kernel, fanOut: layer.filters * layer.kernel };
    case 'dense':
      return { fanIn: layer.inShape.reduce((a, b) => a * b, 1), fanOut: layer.units };
    default:
      return null;
  }
}

/** The uniform bound U(-b, b) of a kernel under `init` (see WeightInit in @snnc/ir). */
export function initBound(init: WeightInit, fanIn: number, fanOut: number): number {
  switch (init.scheme) {
    case 'pytorch':
      return init.gain * pytorchBound(fanIn);
    case 'kaiming':
      return init.gain * Math.sqrt(3 / fanIn);
    case 'xavier':
      return init.gain * Math.sqrt(6 / (fanIn + fanOut));
  }
}

/**
 * Applies `model.init` to freshly built weights: every kernel was drawn from PyTorch's
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), so scaling it by bound / (1/sqrt(fan_in)) is exactly a
 * draw from U(-bound, bound) with the same random stream (biases keep PyTorch's default).
 * Without `init` (or with `pytorch`, gain 1) nothing changes.
 */
export function applyWeightInit(model: Model, weights: Readonly<Record<string, tf.Variable>>): void {
  const init = model.init;
  if (init === undefined || (init.scheme === 'pytorch' && init.gain === 1)) return;
  for (const layer of model.layers) {
    const fans = kernelFans(layer);
    const kernel = weights[`${layer.id}/kernel`];
    if (fans === null || kernel === undefined) continue;
    const factor = initBound(init, fans.fanIn, fans.fanOut) / pytorchBound(fans.fanIn);
    kernel.assign(tf.tidy(() => tf.mul(kernel, factor)));
  }
}

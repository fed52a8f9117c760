import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core's gradient functions live in a side-effect module that its Node (CommonJS) build
 * does not include: `@snnc/runtime/node`'s loadBackend registers them; a browser bundle
 * imports `@tensorflow/tfjs-core/dist/register_all_gradients`. Training without them fails
 * deep inside the optimizer, so the network checks first and says what to do.
 */
export function gradientsRegistered(): boolean {
  return tf.getGradient('Mean') !== undefined && tf.getGradient('Conv2D') !== undefined;
}

export function assertGradientsRegistered(): void {
  if (!gradientsRegistered()) {
    throw new Error(
      'tfjs gradients are not registered: call loadBackend() from @snnc/runtime/node, or import ' +
        "'@tensorflow/tfjs-core/dist/register_all_gradients' in a browser bundle",
    );
  }
}

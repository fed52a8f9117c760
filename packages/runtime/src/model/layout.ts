import type { Shape } from '@snnc/ir';

/**
 * The IR's per-sample shapes are channels-first ([C, H, W], [C, L]); the runtime works in
 * channels-last (NHWC, NLC), the layout tfjs's cpu and wasm convolutions support. Vectors
 * ([N]) are unchanged.
 */
export function toRuntimeShape(shape: Shape): number[] {
  if (shape.length === 3) {
    const [c, h, w] = shape as [number, number, number];
    return [h, w, c];
  }
  if (shape.length === 2) {
    const [c, l] = shape as [number, number];
    return [l, c];
  }
  return [...shape];
}

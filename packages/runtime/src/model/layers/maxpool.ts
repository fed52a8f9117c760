import type { Layer } from '@snnc/ir';
import type { LayerRuntime } from '../context.js';
import { buildPool } from './pool.js';

/** Max pooling over windows `size` moved by `stride`, no padding. */
export function buildMaxPool(layer: Extract<Layer, { kind: 'maxpool' }>): LayerRuntime {
  return buildPool(layer, 'max');
}

import type { Layer } from '@snnc/ir';
import type { LayerRuntime } from '../context.js';
import { buildPool } from './pool.js';

/** Average pooling over windows `size` moved by `stride`, no padding. */
export function buildAvgPool(layer: Extract<Layer, { kind: 'avgpool' }>): LayerRuntime {
  return buildPool(layer, 'avg');
}

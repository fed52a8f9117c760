import type { Normalize } from '@snnc/ir';
import { normalizeTable, type LayerSpikes } from '@snnc/runtime';

/** At most this many neurons of each layer are drawn in the Training tab's raster. */
export const TRACE_NEURONS = 64;

/**
 * Sample `index` of a uint8 image set, normalised like the Trainer does (`unit`: x / 255,
 * `standard`: (x / 255 - mean) / std), as the float32 row-major NHWC values of one sample.
 */
export function normalizedSample(images: Uint8Array, sampleSize: number, index: number, n: Normalize): Float32Array {
  const start = index * sampleSize;
  if (!Number.isInteger(index) || index < 0 || start + sampleSize > images.length) {
    throw new Error(`normalizedSample: sample ${index} is outside the ${images.length / sampleSize} images`);
  }
  // The Trainer's own byte -> float table, so the traced sample is exactly what it trains on.
  const table = normalizeTable(n);
  const out = new Float32Array(sampleSize);
  for (let k = 0; k < sampleSize; k++) out[k] = table[images[start + k]!]!;
  return out;
}

/** One layer's spikes as raster ticks: time in steps, row in [0, shown). */
export interface RasterTicks {
  times: Float32Array;
  rows: Int32Array;
  /** Rows drawn: min(units, cap). */
  shown: number;
  /** Units in the layer (prod of its per-step shape). */
  units: number;
}

/**
 * The ticks of at most `cap` units of a layer, spread evenly over its units (row r is unit
 * floor(r * units / shown)), so a conv layer's raster samples every position, not only the
 * first pixel's channels.
 */
export function rasterTicks(layer: LayerSpikes, cap = TRACE_NEURONS): RasterTicks {
  const units = layer.shape.reduce((a, b) => a * b, 1);
  if (layer.spikes.length !== units * layer.steps) {
    throw new Error(`rasterTicks: ${layer.layerId} has ${layer.spikes.length} values, expected ${layer.steps} x ${units}`);
  }
  const shown = Math.min(units, cap);
  const times: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < layer.steps; t++) {
    for (let r = 0; r < shown; r++) {
      const u = Math.floor((r * units) / shown);
      if (layer.spikes[t * units + u] === 1) {
        times.push(t);
        rows.push(r);
      }
    }
  }
  return { times: Float32Array.from(times), rows: Int32Array.from(rows), shown, units };
}

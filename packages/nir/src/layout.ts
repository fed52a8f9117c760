/**
 * NIR (and the IR) lay one sample's values out channels-first ([C, H, W], [C, L]); the runtime,
 * and so the weights file, channels-last ([H, W, C], [L, C]). Vectors are the same in both.
 */

/** An IR (channels-first) shape in the runtime's channels-last layout. */
export function runtimeShape(shape: readonly number[]): number[] {
  return shape.length < 2 ? [...shape] : [...shape.slice(1), shape[0]!];
}

/** One sample's values, channels-first (`shape`, the IR's) -> channels-last. */
export function channelsLast(data: Float32Array, shape: readonly number[]): Float32Array {
  return reorder(data, shape, true);
}

/** One sample's values, channels-last -> channels-first (`shape`, the IR's). */
export function channelsFirst(data: Float32Array, shape: readonly number[]): Float32Array {
  return reorder(data, shape, false);
}

function reorder(data: Float32Array, shape: readonly number[], toLast: boolean): Float32Array {
  if (shape.length < 2) return Float32Array.from(data);
  const channels = shape[0]!;
  const rest = data.length / channels;
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < channels; ch++) {
    for (let i = 0; i < rest; i++) {
      if (toLast) out[i * channels + ch] = data[ch * rest + i]!;
      else out[ch * rest + i] = data[i * channels + ch]!;
    }
  }
  return out;
}

/** Bits needed to number `classes` labels: ceil(log2 K), at least 1. */
export function bitsFor(classes: number): number {
  return Math.max(1, Math.ceil(Math.log2(classes)));
}

/** Writes `value` as `bits` bits, most significant bit first, into `out` at `offset`. */
export function writeBitsMsbFirst(value: number, bits: number, out: Float32Array, offset: number): void {
  for (let b = 0; b < bits; b++) out[offset + b] = (value >>> (bits - 1 - b)) & 1;
}

/**
 * Reads `bits` outputs as bits, most significant first, each set when the output is >= 0.5
 * (a firing rate of at least one spike every other step). NaN reads as 0.
 */
export function readBitsMsbFirst(outputs: ArrayLike<number>, offset: number, bits: number): number {
  let value = 0;
  for (let b = 0; b < bits; b++) value = (value << 1) | (outputs[offset + b]! >= 0.5 ? 1 : 0);
  return value;
}

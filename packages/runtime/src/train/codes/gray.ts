import { bitsFor, readBitsMsbFirst, writeBitsMsbFirst } from './bits.js';
import { checkClasses, type TargetCodec } from './codec.js';

/** Reflected binary Gray code of n: neighbouring labels differ in exactly one bit. */
export function toGray(n: number): number {
  return (n ^ (n >>> 1)) >>> 0;
}

/** Inverse of {@link toGray}: XOR of all right shifts (prefix XOR from the top bit). */
export function fromGray(g: number): number {
  let n = g >>> 0;
  for (let shift = 1; shift < 32; shift <<= 1) n ^= n >>> shift;
  return n >>> 0;
}

/**
 * Reflected Gray code over ceil(log2 K) bits, most significant bit first (for 10 classes:
 * 0 -> 0000, 1 -> 0001, 2 -> 0011, 3 -> 0010, ..., 9 -> 1101). Decoding thresholds each output
 * at 0.5, converts Gray to binary, and treats a value >= K as a miss.
 */
export function grayCode(classes: number): TargetCodec {
  checkClasses('gray', classes);
  const bits = bitsFor(classes);
  const codebook = new Float32Array(classes * bits);
  for (let c = 0; c < classes; c++) writeBitsMsbFirst(toGray(c), bits, codebook, c * bits);
  return {
    kind: 'gray',
    classes,
    outputs: bits,
    codebook,
    decodeRow(outputs, offset) {
      const value = fromGray(readBitsMsbFirst(outputs, offset, bits));
      return value < classes ? value : -1;
    },
  };
}

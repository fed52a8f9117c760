import { bitsFor, readBitsMsbFirst, writeBitsMsbFirst } from './bits.js';
import { checkClasses, type TargetCodec } from './codec.js';

/**
 * Plain binary: the label written in ceil(log2 K) bits, MOST significant bit first (output 0
 * is the 8s bit for 10 classes), as in the report and the reference script. Decoding
 * thresholds each output at 0.5; a pattern >= K (10..15 for MNIST) is not a label.
 */
export function binaryCode(classes: number): TargetCodec {
  checkClasses('binary', classes);
  const bits = bitsFor(classes);
  const codebook = new Float32Array(classes * bits);
  for (let c = 0; c < classes; c++) writeBitsMsbFirst(c, bits, codebook, c * bits);
  return {
    kind: 'binary',
    classes,
    outputs: bits,
    codebook,
    decodeRow(outputs, offset) {
      const value = readBitsMsbFirst(outputs, offset, bits);
      return value < classes ? value : -1;
    },
  };
}

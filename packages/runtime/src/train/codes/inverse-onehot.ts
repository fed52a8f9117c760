import { checkClasses, type TargetCodec } from './codec.js';

/**
 * Inverse one-hot (1 - onehot): class c trains output c towards 0 and every other output
 * towards 1; the prediction is the output with the smallest value (first on a tie).
 */
export function inverseOnehotCode(classes: number): TargetCodec {
  checkClasses('inverse_onehot', classes);
  const codebook = new Float32Array(classes * classes).fill(1);
  for (let c = 0; c < classes; c++) codebook[c * classes + c] = 0;
  return {
    kind: 'inverse_onehot',
    classes,
    outputs: classes,
    codebook,
    decodeRow(outputs, offset) {
      let best = 0;
      let bestValue = outputs[offset]!;
      for (let k = 1; k < classes; k++) {
        const v = outputs[offset + k]!;
        if (v < bestValue) {
          bestValue = v;
          best = k;
        }
      }
      return Number.isNaN(bestValue) ? -1 : best;
    },
  };
}

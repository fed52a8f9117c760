import { checkClasses, type TargetCodec } from './codec.js';

/**
 * One-hot: class c trains output c towards 1 and the others towards 0; the prediction is the
 * output with the largest value (the first one on a tie, as torch.argmax), so an all-silent
 * output reads as class 0, exactly as in the reference script.
 */
export function onehotCode(classes: number): TargetCodec {
  checkClasses('onehot', classes);
  const codebook = new Float32Array(classes * classes);
  for (let c = 0; c < classes; c++) codebook[c * classes + c] = 1;
  return {
    kind: 'onehot',
    classes,
    outputs: classes,
    codebook,
    decodeRow(outputs, offset) {
      let best = 0;
      let bestValue = outputs[offset]!;
      for (let k = 1; k < classes; k++) {
        const v = outputs[offset + k]!;
        if (v > bestValue) {
          bestValue = v;
          best = k;
        }
      }
      // NaN outputs compare false everywhere; a row of NaNs is no prediction at all
      return Number.isNaN(bestValue) ? -1 : best;
    },
  };
}

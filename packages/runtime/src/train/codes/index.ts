import { assertNever, type TargetCode } from '@snnc/ir';
import { binaryCode } from './binary.js';
import type { TargetCodec } from './codec.js';
import { grayCode } from './gray.js';
import { inverseOnehotCode } from './inverse-onehot.js';
import { onehotCode } from './onehot.js';

export { binaryCode } from './binary.js';
export { bitsFor } from './bits.js';
export { countCorrect, decodeBatch, encodeBatch, type TargetCodec } from './codec.js';
export { fromGray, grayCode, toGray } from './gray.js';
export { inverseOnehotCode } from './inverse-onehot.js';
export { onehotCode } from './onehot.js';

export function targetCodec(kind: TargetCode, classes: number): TargetCodec {
  switch (kind) {
    case 'onehot':
      return onehotCode(classes);
    case 'inverse_onehot':
      return inverseOnehotCode(classes);
    case 'binary':
      return binaryCode(classes);
    case 'gray':
      return grayCode(classes);
    default:
      return assertNever(kind);
  }
}

/** Output width a target code needs for K classes (onehot: K, binary/gray: ceil(log2 K)). */
export function codeOutputs(kind: TargetCode, classes: number): number {
  return targetCodec(kind, classes).outputs;
}

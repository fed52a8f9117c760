import type { TargetCode } from '@snnc/ir';

/**
 * A target code: how a class label becomes the vector the network's decoded output is
 * trained towards, and how an output row is read back as a label.
 */
export interface TargetCodec {
  readonly kind: TargetCode;
  /** Number of classes K. */
  readonly classes: number;
  /** Width of the output vector the code needs (K for one-hot codes, ceil(log2 K) for bit codes). */
  readonly outputs: number;
  /** Row-major [classes, outputs]: the target vector of class c is row c. */
  readonly codebook: Float32Array;
  /**
   * The label an output row encodes, or -1 when the row is not a valid code word
   * (a bit pattern above K - 1); -1 never equals a label, so it counts as a miss.
   */
  decodeRow(outputs: ArrayLike<number>, offset: number): number;
}

/** Labels of a row-major [rows, codec.outputs] output matrix. */
export function decodeBatch(codec: TargetCodec, outputs: ArrayLike<number>, rows: number): Int32Array {
  if (outputs.length !== rows * codec.outputs) {
    throw new Error(`decodeBatch: expected ${rows} x ${codec.outputs} outputs, got ${outputs.length} values`);
  }
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = codec.decodeRow(outputs, r * codec.outputs);
  return labels;
}

/** Row-major [labels.length, codec.outputs] targets for a batch of labels. */
export function encodeBatch(codec: TargetCodec, labels: ArrayLike<number>): Float32Array {
  const k = codec.outputs;
  const out = new Float32Array(labels.length * k);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r]!;
    if (!Number.isInteger(label) || label < 0 || label >= codec.classes) {
      throw new Error(`encodeBatch: label ${label} is outside 0..${codec.classes - 1}`);
    }
    out.set(codec.codebook.subarray(label * k, (label + 1) * k), r * k);
  }
  return out;
}

/** Number of correct predictions: decoded labels equal to the true ones. */
export function countCorrect(codec: TargetCodec, outputs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const predicted = decodeBatch(codec, outputs, labels.length);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}

export function checkClasses(kind: TargetCode, classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new Error(`target code ${kind}: expected an integer number of classes >= 2, got ${classes}`);
  }
}

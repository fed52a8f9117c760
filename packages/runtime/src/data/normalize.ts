import { assertNever, type Normalize } from '@snnc/ir';

/**
 * A byte -> float32 lookup table for a normalisation: `unit` is x / 255 in [0, 1], `standard`
 * is (x / 255 - mean) / std (mean and std in the unit scale, e.g. MNIST 0.1307 / 0.3081).
 * A table makes normalising a batch one indexed copy per pixel.
 */
export function normalizeTable(n: Normalize): Float32Array {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) {
    const x = b / 255;
    switch (n.kind) {
      case 'unit':
        table[b] = x;
        break;
      case 'standard':
        table[b] = (x - n.mean) / n.std;
        break;
      default:
        return assertNever(n);
    }
  }
  return table;
}

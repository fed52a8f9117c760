import { nirArray, sizeOf, type NirArray, type NirMetadata, type NirNode, type NirPrimitive } from '../types.js';

/** A weight as the runtime names and lays it out (`dense_0/kernel` [in, out]), float32. */
export interface ExportTensor {
  shape: number[];
  data: Float32Array;
}

/** A model part NIR cannot express; names the layer. */
export class ExportError extends Error {
  constructor(
    readonly layer: string,
    readonly reason: string,
  ) {
    super(`layer \`${layer}\`: ${reason}`);
    this.name = 'ExportError';
  }
}

export const emptyGroup = (): NirMetadata => ({ kind: 'group', children: new Map() });

/** A NIR node with empty metadata. */
export const node = <N extends Omit<NirPrimitive, 'metadata' | 'extra'>>(n: N): NirNode => ({ ...n, metadata: emptyGroup(), extra: emptyGroup() }) as unknown as NirNode;
export const ints = (values: number[]): NirArray => nirArray([values.length], values, '<q');
export const scalarInt = (v: number): NirArray => nirArray([], [v], '<q');
export const filled = (shape: number[], v: number): NirArray => nirArray(shape, new Array<number>(sizeOf(shape)).fill(v), '<f');

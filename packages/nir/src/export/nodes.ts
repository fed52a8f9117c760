import type { SourceRange } from '@snnc/ir';
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

/** A lossy step of the export, located at the layer, neuron definition or model it concerns. */
export interface ExportWarning {
  message: string;
  range?: SourceRange;
}

/** Warnings in order, each message once (at its first place). */
export class Warnings {
  readonly list: ExportWarning[] = [];
  private readonly seen = new Set<string>();
  private readonly groups = new Map<string, { index: number; labels: string[]; render: (who: string) => string }>();

  add(range: SourceRange | undefined, message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.list.push(range ? { message, range } : { message });
  }

  /**
   * One warning for every layer with the same lossy step (`key`), at the first: `render` gets
   * "neuron `a`" or "neurons `a`, `b`".
   */
  addFor(key: string, label: string, range: SourceRange | undefined, render: (who: string) => string): void {
    const g = this.groups.get(key);
    const labels = g ? [...g.labels, label] : [label];
    const who = `${labels.length === 1 ? 'neuron' : 'neurons'} ${labels.map((l) => `\`${l}\``).join(', ')}`;
    if (g) {
      g.labels = labels;
      this.list[g.index] = { ...this.list[g.index]!, message: render(who) };
      return;
    }
    this.groups.set(key, { index: this.list.length, labels, render });
    this.list.push(range ? { message: render(who), range } : { message: render(who) });
  }
}

import { nirArray, type NirArray, type NirNode } from '../types.js';
import type { ExportTensor } from './nodes.js';

/**
 * Row `r` of snnc's channels-last flatten of [C, H, W] (row (h W + w) C + c) as the column of
 * NIR's channels-first flatten ((c H + h) W + w).
 */
export function hwcToChw(r: number, [C, H, W]: number[]): number {
  const c = r % C!;
  const hw = Math.floor(r / C!);
  const h = Math.floor(hw / W!);
  const w = hw % W!;
  return (c * H! + h) * W! + w;
}

/** The nodes batch norm can fold into: an affine map with one output row per channel. */
export type FoldTarget = Extract<NirNode, { kind: 'Conv2d' | 'Conv1d' | 'Affine' | 'Linear' }>;

export function isFoldTarget(n: NirNode | undefined): n is FoldTarget {
  return n !== undefined && (n.kind === 'Conv2d' || n.kind === 'Conv1d' || n.kind === 'Affine' || n.kind === 'Linear');
}

/**
 * Batch norm at inference (running statistics) folded into the affine node before it, per output
 * channel o: s = gamma / sqrt(var + eps), W' = W s, b' = (b - mean) s + beta. A Linear gains a bias
 * (becomes Affine).
 */
export function foldBatchNorm(target: FoldTarget, bn: { gamma: ExportTensor; beta: ExportTensor; mean: ExportTensor; variance: ExportTensor; eps: number }): NirNode {
  const w = target.params.weight;
  const out = w.shape[0]!;
  const per = w.data.length / out;
  const scale = Float64Array.from({ length: out }, (_, o) => bn.gamma.data[o]! / Math.sqrt(bn.variance.data[o]! + bn.eps));
  const weight: NirArray = { ...w, data: w.data.map((v, i) => v * scale[Math.floor(i / per)]!) };
  const oldBias = target.kind === 'Linear' ? new Float64Array(out) : target.params.bias.data;
  const bias = nirArray([out], Array.from({ length: out }, (_, o) => (oldBias[o]! - bn.mean.data[o]!) * scale[o]! + bn.beta.data[o]!));
  if (target.kind === 'Linear' || target.kind === 'Affine') return { ...target, kind: 'Affine', params: { weight, bias } };
  return { ...target, params: { ...target.params, weight, bias } } as NirNode;
}

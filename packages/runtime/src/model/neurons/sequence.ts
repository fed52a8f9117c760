import * as tf from '@tensorflow/tfjs-core';
import type { ResetMode, Surrogate } from '@snnc/ir';
import { detach, spikeFunction } from '../surrogate.js';
import type { NeuronCell } from './types.js';

export interface SequenceOptions {
  /** Time steps T folded (time-major) into the leading axis of the input. */
  steps: number;
  reset: ResetMode;
  /** V after a hard reset and the initial membrane value V[-1]. */
  vReset: number;
  detachReset: boolean;
  surrogate: Surrogate;
  /** Also return H (membrane before firing) for every step. */
  wantMembrane: boolean;
}

export interface SequenceResult {
  /** Spikes, [T*B, ...] time-major, 0/1 float32. */
  spikes: tf.Tensor;
  /** H[t] before firing, [T*B, ...]; only when asked for. */
  membrane?: tf.Tensor;
}

/**
 * The composed-ops multi-step neuron: loops over T with charge -> fire -> reset, all as tfjs
 * ops so autodiff (BPTT) comes from the tape. Works for every neuron kind and backend; the
 * fused kernel (kernels/lif_fused.ts) replaces it where it applies and is faster.
 * x: [T*B, ...] time-major.
 */
export function runComposed(cell: NeuronCell, x: tf.Tensor, opts: SequenceOptions): SequenceResult {
  const T = opts.steps;
  if (!Number.isInteger(T) || T < 1 || x.shape[0]! % T !== 0) {
    throw new Error(`runComposed: expected a leading axis divisible by T=${T}, got shape [${x.shape.join(', ')}]`);
  }
  const spike = spikeFunction(opts.surrogate);
  const xs = T === 1 ? [x] : tf.split(x, T, 0);
  cell.begin();
  const spikes: tf.Tensor[] = [];
  const membrane: tf.Tensor[] = [];
  let v: tf.Tensor = tf.fill(xs[0]!.shape, opts.vReset);
  let prev: tf.Tensor | null = null;
  for (let t = 0; t < T; t++) {
    const thr = cell.threshold(prev);
    const h = cell.charge(v, xs[t]!);
    const s = spike(tf.sub(h, thr));
    const sr = opts.detachReset ? detach(s) : s;
    // hard: V = H (1 - S) + V_reset S;  soft: V = H - threshold S (reset by subtraction)
    v = opts.reset === 'hard' ? tf.sub(h, tf.mul(sr, opts.vReset === 0 ? h : tf.sub(h, opts.vReset))) : tf.sub(h, tf.mul(sr, thr));
    spikes.push(s);
    if (opts.wantMembrane) membrane.push(h);
    prev = s;
  }
  const result: SequenceResult = { spikes: T === 1 ? spikes[0]! : tf.concat(spikes, 0) };
  if (opts.wantMembrane) result.membrane = T === 1 ? membrane[0]! : tf.concat(membrane, 0);
  return result;
}

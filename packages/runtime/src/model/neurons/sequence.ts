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
  const xs = T === 1 ? [x] : tf.split(x, T, 0);
  const stepper = neuronStepper(cell, opts);
  const spikes: tf.Tensor[] = [];
  const membrane: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const { spikes: s, membrane: h } = stepper.step(xs[t]!);
    spikes.push(s);
    if (opts.wantMembrane) membrane.push(h);
  }
  const result: SequenceResult = { spikes: T === 1 ? spikes[0]! : tf.concat(spikes, 0) };
  if (opts.wantMembrane) result.membrane = T === 1 ? membrane[0]! : tf.concat(membrane, 0);
  return result;
}

/** One time step at a time: charge -> fire -> reset, the state kept between calls. */
export interface NeuronStepper {
  /** x: [B, ...] the input of this step. Returns spikes S[t] and H[t] (before firing). */
  step(x: tf.Tensor): { spikes: tf.Tensor; membrane: tf.Tensor };
}

/**
 * A fresh sequence (V[-1] = V_reset, the cell's own state reset) run step by step; the
 * composed path above and the graph runner's recurrent loops both use it, so BPTT comes from
 * the tape in both.
 */
export function neuronStepper(cell: NeuronCell, opts: Omit<SequenceOptions, 'steps' | 'wantMembrane'>): NeuronStepper {
  const spike = spikeFunction(opts.surrogate);
  cell.begin();
  let v: tf.Tensor | null = null;
  let prev: tf.Tensor | null = null;
  return {
    step(x: tf.Tensor) {
      const thr = cell.threshold(prev);
      const h = cell.charge(v ?? tf.fill(x.shape, opts.vReset), x);
      const s = spike(tf.sub(h, thr));
      const sr = opts.detachReset ? detach(s) : s;
      // hard: V = H (1 - S) + V_reset S;  soft: V = H - threshold S (reset by subtraction)
      v = opts.reset === 'hard' ? tf.sub(h, tf.mul(sr, opts.vReset === 0 ? h : tf.sub(h, opts.vReset))) : tf.sub(h, tf.mul(sr, thr));
      prev = s;
      return { spikes: s, membrane: h };
    },
  };
}

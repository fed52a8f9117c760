import { createHash } from 'node:crypto';
import type { Experiment, Sweep } from '@snnc/ir';
import { canonicalJson } from '../canonical.js';
import type { QuickOverrides } from '../types.js';

/**
 * Keys that change nothing that is trained: source positions move with every edit of the
 * file, and names (`batch_size/batch=64` vs `learning_rate/optimizer.lr=0.01` for the same
 * baseline point; model and neuron names) only label things. Weights are keyed by layer id,
 * which stays in.
 */
const NOT_SPEC = ['range', 'name'];

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of what one run trains: the resolved experiment (names aside) and the data limits. */
export function specHash(experiment: Experiment, limits: { trainLimit?: number; testLimit?: number }): string {
  return sha256(canonicalJson({ experiment, limits }, NOT_SPEC));
}

/**
 * Hash of a whole sweep as it will run: every point's id and experiment plus the overrides.
 * Queue results are keyed by it, so re-submitting the same sweep finds its results and a
 * changed sweep never mixes with an old one. 16 hex digits (64 bits) keep keys readable.
 */
export function sweepHash(sweep: Sweep, overrides: QuickOverrides): string {
  const points = sweep.points.map((p) => ({ id: p.id, experiment: p.experiment }));
  return sha256(`${sweep.name}\n${canonicalJson({ points, overrides }, NOT_SPEC)}`).slice(0, 16);
}

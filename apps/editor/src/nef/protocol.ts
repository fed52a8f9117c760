import type { Network, ProbeAttr } from '@snnc/ir';
import type { NetworkActivity } from '@snnc/nef';

/**
 * Simulated seconds per wall-clock second while the network's own `run` time lasts;
 * `max` runs as fast as the worker can.
 */
export type SimSpeed = 0.25 | 1 | 4 | 'max';

export type NefRequest =
  | { kind: 'start'; network: Network; speed: SimSpeed; keepRunning: boolean }
  /** A slider moved: the input holds this value from the next step on. */
  | { kind: 'set-input'; name: string; value: number[] }
  | { kind: 'stop' };

export interface ProbeMeta {
  name: string;
  attr: ProbeAttr;
  columns: string[];
  /** Rows of a spike raster (the first `shown` neurons), or lines of a `weights` plot (the first `shown` weights). */
  shown: number;
  hasExpected: boolean;
}

/** New samples since the previous frame. */
export interface Frame {
  kind: 'frame';
  /** Times of the new steps, s. */
  t: Float64Array;
  /** Per decoded/output/voltage probe: new values per column, then new expected values per column. */
  series: { name: string; columns: Float64Array[]; expected: Float64Array[] | null }[];
  /** Per spike probe: the spikes in the new steps, as (time, neuron) pairs. */
  spikes: { name: string; times: Float64Array; neurons: Int32Array }[];
}

export type NefResponse =
  | { kind: 'built'; probes: ProbeMeta[]; buildMs: number; runTime: number; dt: number }
  | Frame
  /**
   * `activity`: each ensemble's spike rate and SynOps per simulated second over the whole run;
   * `activityText` the same in one line (made in the worker, which has the formatter).
   */
  | { kind: 'done'; reason: 'finished' | 'stopped' | 'limit'; simTime: number; wallMs: number; activity: NetworkActivity; activityText: string }
  | { kind: 'error'; message: string };

/** At most this many neurons are drawn per spike raster. */
export const RASTER_NEURONS = 64;
/** Lines in the live plot of a `weights` probe (the first weights of the learned matrix). */
export const WEIGHT_LINES = 16;

/** Past the network's run time, keep simulating at most this long (s): the simulator keeps every step. */
export const KEEP_RUNNING_LIMIT_S = 60;

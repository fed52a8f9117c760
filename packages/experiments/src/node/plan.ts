import os from 'node:os';
import path from 'node:path';
import type { Experiment, Sweep, SweepValue } from '@snnc/ir';
import { applyOverrides, definedOverrides } from '../overrides.js';
import type { QuickOverrides } from '../types.js';
import { specHash, sweepHash } from './hash.js';
import { isFinished } from './run-dir.js';

export interface PlannedPoint {
  id: string;
  index: number;
  values: Record<string, SweepValue>;
  /** The experiment to train: the point's, overrides applied. */
  experiment: Experiment;
  limits: { trainLimit?: number; testLimit?: number };
  specHash: string;
  runDir: string;
  /** Finished by an earlier invocation with the same spec: skipped. */
  finished: boolean;
}

export interface SweepPlan {
  sweep: string;
  hash: string;
  /** `<runsDir>/<sweep>` */
  dir: string;
  overrides: QuickOverrides;
  points: PlannedPoint[];
}

/** A directory name for a point id; ids are file-name-safe already, this guards the rest. */
export function pointDirName(id: string): string {
  const safe = id.replace(/[/\\\0]/g, '_').replace(/^\.+$/, '_');
  return safe === '' ? '_' : safe;
}

export function limitsOf(overrides: QuickOverrides): { trainLimit?: number; testLimit?: number } {
  const limits: { trainLimit?: number; testLimit?: number } = {};
  if (overrides.trainLimit !== undefined) limits.trainLimit = overrides.trainLimit;
  if (overrides.testLimit !== undefined) limits.testLimit = overrides.testLimit;
  return limits;
}

/** Every point of a sweep with its run directory `<runsDir>/<sweep>/<point-id>/` and whether it is done. */
export function planSweep(sweep: Sweep, overrides: QuickOverrides, runsDir: string): SweepPlan {
  const o = definedOverrides(overrides);
  const dir = path.resolve(runsDir, pointDirName(sweep.name));
  const limits = limitsOf(o);
  const points = sweep.points.map((p, index) => {
    const experiment = applyOverrides(p.experiment, o);
    const hash = specHash(experiment, limits);
    const runDir = path.join(dir, pointDirName(p.id));
    return { id: p.id, index, values: p.values, experiment, limits, specHash: hash, runDir, finished: isFinished(runDir, hash) };
  });
  return { sweep: sweep.name, hash: sweepHash(sweep, o), dir, overrides: o, points };
}

/**
 * Points in flight and threads for each: by default one point per core, one thread each;
 * with fewer parallel points each gets its share of the cores.
 */
export function defaultParallelism(parallel: number | undefined, cores = os.availableParallelism()): { parallel: number; threads: number } {
  const p = Math.max(1, parallel ?? cores);
  return { parallel: p, threads: Math.max(1, Math.floor(cores / p)) };
}

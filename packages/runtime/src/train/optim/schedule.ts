import { assertNever, type Schedule } from '@snnc/ir';

/**
 * Learning rate of update `step` (0-based) out of `totalSteps` updates in the whole run.
 * `cosine` is torch's CosineAnnealingLR with T_max = totalSteps, stepped once per batch:
 * lr = minLr + (lr0 - minLr) (1 + cos(pi step / totalSteps)) / 2, so the first update uses lr0
 * and the rate approaches minLr at the end of the last epoch.
 */
export function learningRate(schedule: Schedule, baseLr: number, step: number, totalSteps: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'cosine': {
      if (totalSteps <= 0) return baseLr;
      const progress = Math.min(1, Math.max(0, step / totalSteps));
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    default:
      return assertNever(schedule);
  }
}

import type { ProbeData } from './simulator.js';

/** Summary of one probe column: what a run report prints. */
export interface ColumnSummary {
  column: string;
  /** Last recorded value. */
  final: number;
  /** Mean over the last 20% of the run (the steady state of a step response). */
  meanLast20: number;
  /** RMS of (recorded - expected) over t > `skip` s, or null without `expect`. */
  rmse: number | null;
}

export interface ProbeSummary {
  name: string;
  columns: ColumnSummary[];
}

/** Seconds excluded at the start of RMSE, as in the Nengo baseline (filters settling). */
export const RMSE_SKIP_SECONDS = 0.1;

export function rmse(a: ArrayLike<number>, b: ArrayLike<number>, t: ArrayLike<number>, skip = RMSE_SKIP_SECONDS): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (t[i]! <= skip) continue;
    s += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return n === 0 ? NaN : Math.sqrt(s / n);
}

export function meanOfLast(a: ArrayLike<number>, fraction: number): number {
  const from = Math.min(a.length - 1, Math.floor(a.length * (1 - fraction)));
  let s = 0;
  for (let i = from; i < a.length; i++) s += a[i]!;
  return a.length === 0 ? NaN : s / (a.length - from);
}

export function summarizeProbe(p: ProbeData, t: ArrayLike<number>): ProbeSummary {
  return {
    name: p.name,
    columns: p.data.map((col, i) => ({
      column: p.columns[i]!,
      final: col.length === 0 ? NaN : col[col.length - 1]!,
      meanLast20: meanOfLast(col, 0.2),
      rmse: p.expected === null ? null : rmse(col, p.expected[i]!, t),
    })),
  };
}

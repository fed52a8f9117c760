import { cpSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BackendRequest, PointRef, RunRecord } from '../types.js';
import { isFinished, readRecord } from './run-dir.js';
import { writeRecord } from './record.js';

/**
 * Finished runs under `runsDir/<sweep>/<point>/` by spec hash and backend request. Sweeps
 * around one baseline share its point (batch 64 in the batch sweep is lr 0.01 in the
 * learning-rate sweep): training is deterministic for a spec, seed and backend, so that
 * point needs training once.
 */
export class FinishedRuns {
  private readonly bySpec = new Map<string, string>();

  constructor(runsDir: string) {
    for (const sweep of list(runsDir)) {
      for (const point of list(path.join(runsDir, sweep))) this.add(path.join(runsDir, sweep, point));
    }
  }

  /** Registers a run directory if it holds a finished run of its own (not itself a copy). */
  add(dir: string): void {
    const r = readRecord(dir);
    if (r === undefined || r.reusedFrom !== undefined || !isFinished(dir, r.specHash)) return;
    const key = FinishedRuns.key(r.specHash, r.backend.requested);
    if (!this.bySpec.has(key)) this.bySpec.set(key, dir);
  }

  find(specHash: string, backend: BackendRequest, exclude: string): string | undefined {
    const dir = this.bySpec.get(FinishedRuns.key(specHash, backend));
    return dir === undefined || path.resolve(dir) === path.resolve(exclude) ? undefined : dir;
  }

  private static key(specHash: string, backend: BackendRequest): string {
    return `${specHash}/${backend}`;
  }
}

/** Copies a finished run into a point's directory and rewrites its record for that point. */
export function reuseRun(from: string, to: string, point: PointRef): RunRecord {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const original = readRecord(from);
  if (original === undefined) throw new Error(`reuseRun: expected a record in ${from}`);
  const record: RunRecord = { ...original, point, reusedFrom: from };
  writeRecord(to, record);
  return record;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

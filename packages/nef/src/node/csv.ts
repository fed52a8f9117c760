import { writeFileAtomic } from '@snnc/ir/node';
import type { RunResult } from './run.js';

/**
 * Writes `t,<probe columns>...` with one row per step (full double precision, shortest
 * round-trip form) to a temporary file beside `file`, then renames it into place, so a
 * reader never sees a half-written CSV. `expect` values are not written; see the summary.
 */
export function writeProbesCsv(file: string, result: Pick<RunResult, 't' | 'probes'>): void {
  const cols = result.probes.flatMap((p) => p.data);
  const header = ['t', ...result.probes.flatMap((p) => p.columns)].map(csvField).join(',');
  writeFileAtomic(file, csvChunks(header, result.t, cols));
}

/** The header, then the rows in chunks of 2,000, so a long run is never one huge string. */
function* csvChunks(header: string, t: ArrayLike<number>, cols: readonly ArrayLike<number>[]): Generator<string> {
  yield header + '\n';
  const rowsPerChunk = 2000;
  for (let from = 0; from < t.length; from += rowsPerChunk) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(t.length, from + rowsPerChunk); i++) {
      let line = String(t[i]);
      for (const c of cols) line += ',' + String(c[i]);
      lines.push(line);
    }
    yield lines.join('\n') + '\n';
  }
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

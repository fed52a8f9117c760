import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from './run.js';

/**
 * Writes `t,<probe columns>...` with one row per step (full double precision, shortest
 * round-trip form) to a temporary file beside `file`, then renames it into place, so a
 * reader never sees a half-written CSV. `expect` values are not written; see the summary.
 */
export function writeProbesCsv(file: string, result: Pick<RunResult, 't' | 'probes'>): void {
  const cols = result.probes.flatMap((p) => p.data);
  const header = ['t', ...result.probes.flatMap((p) => p.columns)].map(csvField).join(',');
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, header + '\n');
    const n = result.t.length;
    const rowsPerChunk = 2000;
    for (let from = 0; from < n; from += rowsPerChunk) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(n, from + rowsPerChunk); i++) {
        let line = String(result.t[i]);
        for (const c of cols) line += ',' + String(c[i]);
        lines.push(line);
      }
      writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

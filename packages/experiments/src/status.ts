import { assertNever, type SweepValue } from '@snnc/ir';

/** Where one sweep point is: `skipped` means finished by an earlier invocation. */
export type PointPhase = 'pending' | 'skipped' | 'running' | 'done' | 'failed';

export interface PointStatus {
  id: string;
  values: Record<string, SweepValue>;
  phase: PointPhase;
  /** Epochs finished so far (from metrics.jsonl) and planned. */
  epoch: number;
  epochs: number;
  /** Latest test accuracy, fraction. */
  testAcc: number | null;
  /** Seconds since the point started (running) or its total (done / failed). */
  seconds: number | null;
  /** Who runs it: `local pid 1234`, `worker host:pid`. */
  where: string | null;
  error: string | null;
}

/** The live sweep table, one line per point; plain text, the caller decides how to redraw. */
export function formatStatusTable(points: readonly PointStatus[]): string {
  const header = ['point', 'state', 'epoch', 'test acc %', 'time s', 'note'];
  const rows = points.map((p) => [
    p.id,
    p.phase,
    p.phase === 'pending' ? '-' : `${p.epoch}/${p.epochs}`,
    p.testAcc === null ? '-' : (p.testAcc * 100).toFixed(2),
    p.seconds === null ? '-' : p.seconds.toFixed(0),
    p.phase === 'failed' ? (p.error ?? '').split('\n')[0]!.slice(0, 100) : (p.where ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const counts = (['done', 'skipped', 'running', 'failed', 'pending'] as const)
    .map((ph) => [ph, points.filter((p) => p.phase === ph).length] as const)
    .filter(([, n]) => n > 0)
    .map(([ph, n]) => `${n} ${ph}`)
    .join(', ');
  return [line(header), ...rows.map(line), `${points.length} points: ${counts}`].join('\n') + '\n';
}

/** One plain line for a state change (non-TTY output, logs). */
export function formatStatusLine(p: PointStatus): string {
  switch (p.phase) {
    case 'pending':
      return `${p.id}: pending`;
    case 'skipped':
      return `${p.id}: ${p.where ?? 'already finished'}, skipped`;
    case 'running':
      return `${p.id}: running${p.where ? ` (${p.where})` : ''} epoch ${p.epoch}/${p.epochs}${p.testAcc === null ? '' : `, test acc ${(p.testAcc * 100).toFixed(2)}%`}`;
    case 'done':
      return `${p.id}: done in ${(p.seconds ?? 0).toFixed(1)} s${p.testAcc === null ? '' : `, test acc ${(p.testAcc * 100).toFixed(2)}%`}`;
    case 'failed':
      // the first line: a stack trace belongs in the point's train.log and record.json
      return `${p.id}: FAILED: ${(p.error ?? 'unknown error').split('\n')[0]}`;
    default:
      return assertNever(p.phase);
  }
}


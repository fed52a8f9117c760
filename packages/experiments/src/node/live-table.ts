import { formatStatusLine, formatStatusTable, type PointStatus } from '../status.js';

export interface LiveTable {
  update(points: readonly PointStatus[], changed: PointStatus): void;
  /** Draws the final table (TTY) and stops redrawing. */
  close(points: readonly PointStatus[]): void;
}

/** Fastest redraw on a terminal, ms: progress polls arrive more often than eyes need. */
const REDRAW_MS = 250;

/**
 * The sweep's state for humans. On a terminal the whole table is redrawn in place; in a
 * log (not a TTY) each change of a point's phase or epoch is one plain line.
 */
export function liveTable(out: NodeJS.WritableStream & { isTTY?: boolean }): LiveTable {
  if (out.isTTY) {
    let drawn = 0;
    let last = 0;
    let timer: NodeJS.Timeout | undefined;
    let latest: readonly PointStatus[] = [];
    const draw = () => {
      timer = undefined;
      last = Date.now();
      const text = formatStatusTable(latest);
      // CSI n F: cursor to the start of the line n lines up; CSI J: clear to the end.
      out.write(`${drawn > 0 ? `\u001b[${drawn}F\u001b[J` : ''}${text}`);
      drawn = text.split('\n').length - 1;
    };
    return {
      update(points) {
        latest = points;
        if (timer !== undefined) return;
        timer = setTimeout(draw, Math.max(0, REDRAW_MS - (Date.now() - last)));
      },
      close(points) {
        if (timer !== undefined) clearTimeout(timer);
        latest = points;
        draw();
      },
    };
  }
  const seen = new Map<string, string>();
  return {
    update(_points, changed) {
      const key = `${changed.phase}:${changed.epoch}`;
      if (seen.get(changed.id) === key) return;
      seen.set(changed.id, key);
      out.write(`${formatStatusLine(changed)}\n`);
    },
    close(points) {
      out.write(formatStatusTable(points));
    },
  };
}

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PointStatus } from '../status.js';
import { liveTable } from './live-table.js';

function point(id: string, over: Partial<PointStatus> = {}): PointStatus {
  return { id, values: {}, phase: 'pending', epoch: 0, epochs: 2, testAcc: null, seconds: null, where: null, error: null, ...over };
}

function capture(tty: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) stream.isTTY = true;
  let text = '';
  stream.on('data', (b: Buffer) => (text += b.toString()));
  return { stream, text: () => text };
}

describe('liveTable', () => {
  it('writes one plain line per change of phase or epoch when not a terminal', () => {
    const { stream, text } = capture(false);
    const t = liveTable(stream);
    const a = point('batch=16');
    t.update([a], a);
    a.phase = 'running';
    t.update([a], a);
    t.update([a], a); // no change: no line
    a.epoch = 1;
    a.testAcc = 0.5;
    t.update([a], a);
    a.phase = 'failed';
    a.error = 'SNN7001: cannot read training images\n    at stack';
    t.update([a], a);
    t.close([a]);
    const lines = text().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'batch=16: pending',
      'batch=16: running epoch 0/2',
      'batch=16: running epoch 1/2, test acc 50.00%',
      'batch=16: FAILED: SNN7001: cannot read training images',
    ]);
    expect(text()).toContain('1 points: 1 failed');
    expect(text()).not.toContain('\u001b[');
  });

  it('redraws the whole table in place on a terminal', async () => {
    const { stream, text } = capture(true);
    const t = liveTable(stream);
    const pts = [point('a'), point('b')];
    t.update(pts, pts[0]!);
    await new Promise((r) => setTimeout(r, 300));
    pts[0]!.phase = 'done';
    t.close(pts);
    const out = text();
    // first draw: header + 2 rows + count line; the second moves up those 4 lines and clears
    expect(out.startsWith('point')).toBe(true);
    expect(out).toContain('\u001b[4F\u001b[J');
    expect(out.split('\u001b[4F\u001b[J')[1]).toMatch(/^point\s+state.*\na\s+done/);
  });
});

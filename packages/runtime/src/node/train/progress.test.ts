import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../train/index.js';
import { formatDuration, plainProgress, ttyProgress } from './progress.js';

class Capture extends Writable {
  text = '';
  isTTY = true;
  columns = 120;
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
}

const p = (batch: number, seconds: number, over: Partial<BatchProgress> = {}): BatchProgress => ({
  phase: 'train',
  epoch: 0,
  batch,
  batches: 20,
  loss: 0.5 / batch,
  accuracy: 0.5,
  seconds,
  lr: 0.01,
  numTensors: 10,
  numBytes: 100,
  ...over,
});

describe('progress', () => {
  it('formats durations', () => {
    expect(formatDuration(5.4)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
  });

  it('prints plain lines every tenth of a phase with rate and ETA', () => {
    const out = new Capture();
    const r = plainProgress(out);
    r.phase('train', 0, 20, 0);
    for (let b = 1; b <= 20; b++) r.batch(p(b, b * 0.5));
    r.line('epoch=0, ...');
    const lines = out.text.split('\n').filter(Boolean);
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe('  train epoch 0   2/20  loss=0.2500 acc=0.5000  2.00 it/s  elapsed 1s  eta 9s');
    expect(lines[9]).toMatch(/20\/20 .* eta 0s$/);
    expect(lines[10]).toBe('epoch=0, ...');
  });

  it('measures the rate after a resume from this process only', () => {
    const out = new Capture();
    const r = plainProgress(out);
    r.phase('train', 1, 20, 10);
    // 100 s ran before the resume; this process then does a batch per second
    for (let b = 11; b <= 20; b++) r.batch(p(b, 100 + (b - 10)));
    expect(out.text).toMatch(/ 20\/20 .* 1\.00 it\/s/);
  });

  it('draws a bar with it/s, ETA and metrics on a terminal', () => {
    const out = new Capture();
    const r = ttyProgress(out, false);
    r.phase('test', 3, 20, 0);
    for (let b = 1; b <= 20; b++) r.batch(p(b, b * 0.25, { phase: 'test', epoch: 3 }));
    r.line('Saving...');
    expect(out.text).toMatch(/test +3 \|[\u2588\u2591]+\| 20\/20 \[5s<0s, 4\.00 it\/s\] loss=0\.0250 acc=0\.5000/);
    expect(out.text.trimEnd().endsWith('Saving...')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Random } from '@snnc/ir';
import { binEvents, makeDataset, makeSequenceDataset, normalizeTable, packEvents, rowsAsSequence, takeFirstSequences, testSequenceBatch, trainOrder, trainSequenceBatch } from './index.js';

const unit = normalizeTable({ kind: 'unit' });

describe('sequence data', () => {
  it('feeds an image row by row, time-major: row t * B + b is row t of sample b', () => {
    // 3 images of 2 rows x 3 columns; pixel (r, c) of image i = 10 i + 3 r + c.
    const images = Uint8Array.from({ length: 3 * 6 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
    const d = rowsAsSequence(makeDataset({ images, labels: Int32Array.from([0, 1, 2]), count: 3, height: 2, width: 3, channels: 1, classes: 3 }));
    expect(d.steps).toBe(2);
    expect(d.stepShape).toEqual([3]);
    const b = testSequenceBatch(d, 0, 2, unit);
    expect(b.size).toBe(2);
    expect(b.steps).toBe(2);
    const at = (t: number, s: number) => Array.from(b.x.subarray((t * 2 + s) * 3, (t * 2 + s + 1) * 3), (v) => Math.round(v * 255));
    expect(at(0, 0)).toEqual([0, 1, 2]);
    expect(at(0, 1)).toEqual([10, 11, 12]);
    expect(at(1, 0)).toEqual([3, 4, 5]);
    expect(at(1, 1)).toEqual([13, 14, 15]);
    const last = testSequenceBatch(d, 1, 2, unit);
    expect(last.size).toBe(1);
    expect(Array.from(last.labels)).toEqual([2]);
  });

  it('bins events into equal steps, counts repeats, drops events at or after the window', () => {
    const { cells, counts } = binEvents([0, 0.05, 0.05, 0.99, 1.0, 2, -1], [1, 0, 0, 2, 1, 1, 1], 4, 3, 1.0);
    // step = floor(t / 0.25): 0 -> 0, 0.05 -> 0 (twice, feature 0), 0.99 -> 3.
    expect(Array.from(cells)).toEqual([0, 1, 3 * 3 + 2]);
    expect(Array.from(counts)).toEqual([2, 1, 1]);
  });

  it('densifies sparse event samples in the shuffled order with their labels', () => {
    const samples = [binEvents([0.1], [0], 2, 2, 1), binEvents([0.6, 0.6, 0.1], [1, 1, 1], 2, 2, 1), binEvents([], [], 2, 2, 1)];
    const d = makeSequenceDataset({ count: 3, steps: 2, stepShape: [2], classes: 3, labels: Int32Array.from([0, 1, 2]), storage: packEvents(samples) });
    const order = trainOrder(3, new Random(5));
    const b = trainSequenceBatch(d, order, 0, 3, unit);
    for (let s = 0; s < 3; s++) {
      const idx = order[s]!;
      expect(b.labels[s]).toBe(idx);
      const frame = (t: number) => Array.from(b.x.subarray((t * 3 + s) * 2, (t * 3 + s + 1) * 2));
      const expected = [
        [[1, 0], [0, 0]],
        [[0, 1], [0, 2]],
        [[0, 0], [0, 0]],
      ][idx]!;
      expect([frame(0), frame(1)]).toEqual(expected);
    }
    const first = takeFirstSequences(d, 2);
    expect(first.count).toBe(2);
    expect(testSequenceBatch(first, 0, 5, unit).x.length).toBe(2 * 2 * 2);
  });

  it('checks its invariants', () => {
    const storage = packEvents([binEvents([0.1], [0], 2, 2, 1)]);
    expect(() => makeSequenceDataset({ count: 1, steps: 2, stepShape: [2], classes: 2, labels: Int32Array.from([2]), storage })).toThrow(/label 2/);
    expect(() => makeSequenceDataset({ count: 1, steps: 1, stepShape: [2], classes: 2, labels: Int32Array.from([0]), storage: { kind: 'bytes', bytes: new Uint8Array(3) } })).toThrow(/expected 1 x 1 x 2/);
  });
});

import { describe, expect, it } from 'vitest';
import { Random } from '@snnc/ir';
import { makeDataset, normalizeTable, takeFirst, testBatch, testBatchCount, trainBatch, trainBatchCount, trainOrder, type Dataset } from './index.js';

/** 10 samples of 2x2x1 whose pixels all equal the sample index, label = index % 3. */
function tiny(count = 10): Dataset {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.fill(i, i * 4, i * 4 + 4);
  return makeDataset({ images, labels: Int32Array.from({ length: count }, (_, i) => i % 3), count, height: 2, width: 2, channels: 1, classes: 3 });
}

describe('data', () => {
  it('normalises to the unit range or standardises', () => {
    const unit = normalizeTable({ kind: 'unit' });
    expect(unit[0]).toBe(0);
    expect(unit[255]).toBe(1);
    expect(unit[51]).toBeCloseTo(0.2, 7);
    const std = normalizeTable({ kind: 'standard', mean: 0.1307, std: 0.3081 });
    expect(std[0]).toBeCloseTo(-0.1307 / 0.3081, 6);
    expect(std[255]).toBeCloseTo((1 - 0.1307) / 0.3081, 6);
  });

  it('drops the last partial training batch and keeps every test sample', () => {
    expect(trainBatchCount(60000, 64)).toBe(937);
    expect(testBatchCount(10000, 64)).toBe(157);
    const d = tiny(10);
    const table = normalizeTable({ kind: 'unit' });
    expect(trainBatchCount(d.count, 4)).toBe(2);
    expect(testBatchCount(d.count, 4)).toBe(3);
    const last = testBatch(d, 2, 4, table);
    expect(last.size).toBe(2);
    expect(Array.from(last.labels)).toEqual([8 % 3, 9 % 3]);
    expect(last.x[0]).toBeCloseTo(8 / 255, 7);
    expect(last.x.length).toBe(2 * 4);
  });

  it('shuffles with a seed: same seed same order, a new order each epoch, a permutation', () => {
    const a = new Random(3);
    const b = new Random(3);
    const e1 = trainOrder(100, a);
    const e2 = trainOrder(100, a);
    expect(Array.from(trainOrder(100, b))).toEqual(Array.from(e1));
    expect(Array.from(e2)).not.toEqual(Array.from(e1));
    expect(Array.from(e1).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('gathers a training batch in the shuffled order, pixels with their labels', () => {
    const d = tiny(10);
    const order = trainOrder(d.count, new Random(1));
    const b = trainBatch(d, order, 1, 4, normalizeTable({ kind: 'unit' }));
    for (let r = 0; r < 4; r++) {
      const idx = order[4 + r]!;
      expect(b.labels[r]).toBe(idx % 3);
      expect(Array.from(b.x.subarray(r * 4, r * 4 + 4))).toEqual([idx / 255, idx / 255, idx / 255, idx / 255].map(Math.fround));
    }
  });

  it('takes the first n samples as a view and checks its input', () => {
    const d = takeFirst(tiny(10), 3);
    expect(d.count).toBe(3);
    expect(d.images.length).toBe(12);
    expect(Array.from(d.labels)).toEqual([0, 1, 2]);
    expect(takeFirst(tiny(10), 50).count).toBe(10);
    expect(() => makeDataset({ ...tiny(2), classes: 1 })).toThrow(/label 1/);
    expect(() => makeDataset({ ...tiny(2), count: 3 })).toThrow(/expected 3 x 4/);
  });
});

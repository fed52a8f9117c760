import { describe, expect, it } from 'vitest';
import { experiment, mlpModel } from '../../train/__tests__/experiments.js';
import { applyOverrides, experimentDiff } from './overrides.js';

describe('overrides', () => {
  const base = experiment(mlpModel(8, 2), { schedule: { kind: 'cosine', minLr: 0.0005 } });

  it('applies each override to a copy', () => {
    const e = applyOverrides(base, { epochs: 5, batch: 16, lr: 0.01, seed: 9, trainLimit: 100 });
    expect([e.epochs, e.batch, e.optimizer.lr, e.seed]).toEqual([5, 16, 0.01, 9]);
    expect(base.epochs).toBe(1);
    expect(applyOverrides(base, {})).toEqual(base);
  });

  it('keeps a cosine floor at or below a lowered rate', () => {
    const e = applyOverrides(base, { lr: 0.0001 });
    expect(e.schedule).toEqual({ kind: 'cosine', minLr: 0.0001 });
  });

  it('rejects bad values with SNN9003', () => {
    expect(() => applyOverrides(base, { epochs: 1.5 })).toThrow(/--epochs must be a positive integer, got 1.5/);
    expect(() => applyOverrides(base, { batch: 0 })).toThrow(/--batch/);
    expect(() => applyOverrides(base, { lr: -1 })).toThrow(/--lr must be a positive number/);
    expect(() => applyOverrides(base, { seed: -2 })).toThrow(/--seed/);
    expect(() => applyOverrides(base, { testLimit: 0 })).toThrow(/--test-limit/);
  });

  it('lists the fields two experiments differ in, ignoring source ranges', () => {
    const other = { ...base, batch: 32, optimizer: { ...base.optimizer, lr: 0.5 }, range: { file: 'x', start: 0, end: 1, line: 1, column: 1, endLine: 1, endColumn: 2 } };
    expect(experimentDiff(base, other).sort()).toEqual(['batch', 'optimizer.lr']);
    expect(experimentDiff(base, structuredClone(base))).toEqual([]);
  });
});

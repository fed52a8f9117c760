import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiply } from '../__tests__/networks.js';
import { runNetwork, writeProbesCsv } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'snnc-nef-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runNetwork', () => {
  const progress: number[] = [];
  const result = runNetwork(multiply(0.5, 0.2, 0, 1), { onProgress: (f) => progress.push(f) });

  it('returns timings, times, probe data and a summary', () => {
    expect(result.network).toBe('multiply');
    expect(result.seed).toBe(0);
    expect(result.buildSeconds).toBeGreaterThan(0);
    expect(result.solveSeconds).toBeLessThanOrEqual(result.buildSeconds);
    expect(result.t.length).toBe(1000);
    expect(result.probes.map((p) => [p.name, p.dims])).toEqual([
      ['out', 1],
      ['ab', 2],
    ]);
    expect(progress.at(-1)).toBe(1);
    const out = result.summary.find((s) => s.name === 'out')!.columns[0]!;
    expect(Math.abs(out.meanLast20 - 0.1)).toBeLessThan(0.05);
    expect(out.rmse).not.toBeNull();
    expect(out.rmse!).toBeLessThan(0.06);
    expect(out.final).toBe(result.probes[0]!.data[0]![999]);
    expect(result.summary.find((s) => s.name === 'ab')!.columns.map((c) => [c.column, c.rmse])).toEqual([
      ['ab[0]', null],
      ['ab[1]', null],
    ]);
  });

  it('writes probes to CSV atomically', () => {
    const file = path.join(dir, 'probes.csv');
    writeProbesCsv(file, result);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('t,out,ab[0],ab[1]');
    expect(lines.length).toBe(1001);
    const row = lines[10]!.split(',').map(Number);
    expect(row[0]).toBe(0.01);
    expect(row[1]).toBe(result.probes[0]!.data[0]![9]);
    expect(row[3]).toBe(result.probes[1]!.data[1]![9]);
    expect(readdirSync(dir)).toEqual(['probes.csv']);
  });

  it('leaves no temporary file when writing fails', () => {
    // a directory where the CSV should go: the final rename fails
    mkdirSync(path.join(dir, 'taken.csv'));
    expect(() => writeProbesCsv(path.join(dir, 'taken.csv'), result)).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['probes.csv', 'taken.csv']);
  });
});

import { renderSvg } from '@snnc/plot';
import { describe, expect, it } from 'vitest';
import type { RunData } from '../types.js';
import { accuracyVsEnergyChart, paretoFront } from './figures.js';
import { reportCsv, reportTable } from './format.js';
import { buildReport } from './table.js';

/** A finished run whose summary.json holds `activity` (energy in joules per sample). */
function run(label: string, testAcc: number, energyJ: number | null): RunData {
  const summary: Record<string, unknown> = { status: 'completed' };
  if (energyJ !== null) summary['activity'] = { total: { energy_j: energyJ, synops: energyJ / 0.9e-12 } };
  return { dir: `/runs/${label}`, label, metrics: [{ epoch: 0, test_acc: testAcc, train_acc: testAcc }], summary };
}

describe('accuracy against energy', () => {
  it('keeps the runs no other run beats on both energy and accuracy', () => {
    const pts = [
      { label: 'a', energyJ: 3, acc: 0.9 },
      { label: 'b', energyJ: 1, acc: 0.8 },
      { label: 'c', energyJ: 2, acc: 0.7 }, // dominated by b
      { label: 'd', energyJ: 4, acc: 0.95 },
      { label: 'e', energyJ: 5, acc: 0.95 }, // same accuracy as d for more energy
      { label: 'f', energyJ: 1, acc: 0.6 }, // same energy as b, less accurate
    ];
    expect(paretoFront(pts).map((p) => p.label)).toEqual(['b', 'a', 'd']);
    expect(paretoFront([])).toEqual([]);
  });

  it('reads energy from summary.json into the table and CSV, only when some run measured it', () => {
    const withEnergy = buildReport([run('x', 0.9, 2e-6), run('y', 0.8, null)]);
    expect(withEnergy.rows.map((r) => r.energyJ)).toEqual([2e-6, null]);
    const t = reportTable(withEnergy);
    expect(t.header.at(-1)).toBe('µJ/sample');
    expect(t.rows.map((r) => r.at(-1))).toEqual(['2.00', '-']);
    expect(reportCsv(withEnergy).split('\n')[0]).toMatch(/,energy_j,synops$/);
    const without = buildReport([run('y', 0.8, null)]);
    expect(reportTable(without).header).not.toContain('µJ/sample');
  });

  it('draws the runs and their Pareto front', async () => {
    const report = buildReport([run('a', 0.9, 3e-6), run('b', 0.8, 1e-6), run('c', 0.7, 2e-6)]);
    const spec = accuracyVsEnergyChart(report) as unknown as { layer: { data: { values: { uj: number; pct: number }[] } }[] };
    expect(spec.layer[0]!.data.values).toEqual([
      { uj: 1, pct: 80 },
      { uj: 3, pct: 90 },
    ]);
    expect(spec.layer[1]!.data.values).toHaveLength(3);
    const svg = await renderSvg(accuracyVsEnergyChart(report));
    expect(svg).toContain('<svg');
    expect(svg).toContain('energy per sample');
  });
});

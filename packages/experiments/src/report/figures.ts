import type { renderSvg } from '@snnc/plot';
import type { RunData } from '../types.js';
import type { Report } from './table.js';

/** The Vega-Lite spec type @snnc/plot renders (kept off a direct vega-lite dependency). */
export type ChartSpec = Parameters<typeof renderSvg>[0];

const CONFIG = { font: 'DejaVu Sans, Arial, sans-serif', view: { stroke: '#ddd' } };
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A file-name-safe stem for a field path (`optimizer.lr` -> `optimizer-lr`). */
export function fieldSlug(field: string): string {
  return field.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-|-$/g, '') || 'field';
}

/**
 * Final and best test accuracy against one swept field. Numbers get a quantitative axis
 * (logarithmic when the values span a factor of 10 or more, as learning rates do); text
 * values (target codes) get one column each. With a grid the other fields colour the lines.
 */
export function accuracyVsFieldChart(report: Report, field: string): ChartSpec {
  const others = report.fields.filter((f) => f !== field);
  // With one epoch (or accuracy still rising at the end) the best is the final: one line then.
  const showBest = report.rows.some((r) => r.bestTestAcc !== null && r.testAcc !== null && r.bestTestAcc !== r.testAcc);
  const rows = report.rows
    .filter((r) => r.testAcc !== null && r.values[field] !== null && r.values[field] !== undefined)
    .flatMap((r) => {
      const group = others.length === 0 ? 'all' : others.map((o) => `${o}=${String(r.values[o])}`).join(', ');
      const base = { x: r.values[field]!, group };
      return [
        { ...base, measure: 'final test acc', acc: r.testAcc! * 100 },
        ...(r.bestTestAcc === null || !showBest ? [] : [{ ...base, measure: 'best test acc', acc: r.bestTestAcc * 100 }]),
      ];
    });
  const xs = rows.map((r) => r.x);
  const numeric = xs.length > 0 && xs.every((x) => typeof x === 'number');
  const nums = xs.filter((x): x is number => typeof x === 'number');
  const log = numeric && Math.min(...nums) > 0 && Math.max(...nums) / Math.min(...nums) >= 10;
  const x = numeric
    ? { field: 'x', type: 'quantitative', title: field, scale: log ? { type: 'log' } : { zero: false } }
    : { field: 'x', type: 'nominal', title: field, sort: null, axis: { labelAngle: 0 } };
  const detail = others.length === 0 ? [] : [{ field: 'group', type: 'nominal' }];
  return {
    $schema: SCHEMA,
    title: `test accuracy vs ${field}`,
    width: 420,
    height: 240,
    data: { values: rows },
    mark: { type: 'line', point: { size: 60 }, strokeWidth: 1.5 },
    encoding: {
      x,
      y: { field: 'acc', type: 'quantitative', title: 'test accuracy (%)', scale: { zero: false } },
      color: others.length === 0 ? { field: 'measure', type: 'nominal', title: null } : { field: 'group', type: 'nominal', title: others.join(', ') },
      strokeDash: others.length === 0 ? { value: [1, 0] } : { field: 'measure', type: 'nominal', title: null },
      ...(detail.length > 0 ? { detail } : {}),
    },
    config: CONFIG,
  } as ChartSpec;
}

/** Test accuracy and train loss per epoch of every run, overlaid (one colour per run). */
export function curvesOverlayChart(runs: readonly RunData[], title: string): ChartSpec {
  const values = runs.flatMap((r) =>
    r.metrics.flatMap((m) => {
      const out: { run: string; epoch: number; panel: string; y: number }[] = [];
      if (typeof m.test_acc === 'number' && Number.isFinite(m.test_acc)) out.push({ run: r.label, epoch: m.epoch, panel: 'test accuracy (%)', y: m.test_acc * 100 });
      if (typeof m.train_loss === 'number' && Number.isFinite(m.train_loss)) out.push({ run: r.label, epoch: m.epoch, panel: 'train loss', y: m.train_loss });
      return out;
    }),
  );
  const panel = (name: string) => ({
    title: name,
    width: 360,
    height: 220,
    transform: [{ filter: { field: 'panel', equal: name } }],
    mark: { type: 'line', point: true, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'y', type: 'quantitative', title: name, scale: { zero: false } },
      color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.label) },
    },
  });
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    hconcat: [panel('test accuracy (%)'), panel('train loss')],
    config: CONFIG,
  } as ChartSpec;
}

/** A run placed by its energy per sample and its test accuracy. */
export interface EnergyPoint {
  label: string;
  energyJ: number;
  acc: number;
}

/**
 * The runs no other run beats on both axes (less or equal energy and higher or equal accuracy,
 * better on one), in order of increasing energy: the accuracy-energy trade-off curve.
 */
export function paretoFront<P extends EnergyPoint>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.energyJ - b.energyJ || b.acc - a.acc);
  const front: P[] = [];
  for (const p of sorted) if (front.length === 0 || p.acc > front[front.length - 1]!.acc) front.push(p);
  return front;
}

/**
 * Test accuracy against estimated energy per sample (µJ) for every run that measured activity,
 * each labelled by its swept values, with the Pareto front drawn as a step line. The energy
 * axis is logarithmic when it spans a factor of 10 or more.
 */
export function accuracyVsEnergyChart(report: Report): ChartSpec {
  const points: (EnergyPoint & { uj: number; pct: number })[] = report.rows
    .filter((r) => r.energyJ !== null && r.testAcc !== null)
    .map((r) => {
      // One swept field: its value names the run (the legend's title names the field).
      const label = report.fields.length === 0 ? r.label : report.fields.length === 1 ? String(r.values[report.fields[0]!]) : report.fields.map((f) => `${f}=${String(r.values[f])}`).join(', ');
      return { label, energyJ: r.energyJ!, acc: r.testAcc!, uj: r.energyJ! * 1e6, pct: r.testAcc! * 100 };
    });
  const front = paretoFront(points).map((p) => ({ uj: p.uj, pct: p.pct }));
  const ujs = points.map((p) => p.uj);
  const log = ujs.length > 1 && Math.min(...ujs) > 0 && Math.max(...ujs) / Math.min(...ujs) >= 10;
  const x = { field: 'uj', type: 'quantitative', title: 'estimated energy per sample (µJ)', scale: log ? { type: 'log' } : { zero: false } };
  const y = { field: 'pct', type: 'quantitative', title: 'test accuracy (%)', scale: { zero: false } };
  return {
    $schema: SCHEMA,
    title: 'test accuracy vs energy per sample (Pareto front)',
    width: 420,
    height: 260,
    layer: [
      { data: { values: front }, mark: { type: 'line', interpolate: 'step-after', strokeDash: [4, 3], color: '#888' }, encoding: { x, y } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x, y, color: { field: 'label', type: 'nominal', title: report.fields.join(', ') || 'run', legend: { labelLimit: 320 } } },
      },
    ],
    config: CONFIG,
  } as ChartSpec;
}

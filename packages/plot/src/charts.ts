import type { EpochScores } from '@snnc/ir';
import type { TopLevelSpec } from 'vega-lite';

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
}

export interface TimeSeriesOptions {
  title: string;
  xLabel?: string;
  width?: number;
  height?: number;
  /** Longest series kept per line; longer ones are strided so SVGs stay small. */
  maxPoints?: number;
}

/**
 * Stacked line panels sharing the x axis: the shape of the report's NEF figures (inputs in
 * one panel, decoded probes in another) and of training curves.
 */
export function timeSeriesChart(panels: Panel[], options: TimeSeriesOptions): TopLevelSpec {
  const maxPoints = options.maxPoints ?? 2000;
  const width = options.width ?? 640;
  const height = options.height ?? 180;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    vconcat: panels.map((p) => ({
      title: p.title,
      width,
      height,
      data: { values: rows(p.series, maxPoints) },
      mark: { type: 'line', strokeWidth: 1.5, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: options.xLabel ?? 'time (s)' },
        y: { field: 'y', type: 'quantitative', title: p.yLabel, scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, sort: p.series.map((s) => s.name) },
      },
    })),
    // Each panel has its own series, so each gets its own colours and legend.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: { font: 'DejaVu Sans, Arial, sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** Epoch metrics as written to metrics.jsonl: the scores @snnc/ir defines once. */
export type EpochMetrics = EpochScores;

/** Loss and accuracy per epoch, train against test, side by side. */
export function trainingCurvesChart(metrics: readonly EpochMetrics[], title: string): TopLevelSpec {
  const epochs = metrics.map((m) => m.epoch);
  const loss: Panel = {
    title: 'loss',
    yLabel: 'loss',
    series: [
      { name: 'train', x: epochs, y: metrics.map((m) => m.train_loss) },
      { name: 'test', x: epochs, y: metrics.map((m) => m.test_loss) },
    ],
  };
  const acc: Panel = {
    title: 'accuracy',
    yLabel: 'accuracy',
    series: [
      { name: 'train', x: epochs, y: metrics.map((m) => m.train_acc) },
      { name: 'test', x: epochs, y: metrics.map((m) => m.test_acc) },
    ],
  };
  const spec = timeSeriesChart([loss, acc], { title, xLabel: 'epoch', height: 160, width: 420 }) as { vconcat: object[] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    hconcat: spec.vconcat.map((p) => ({ ...p, mark: { type: 'line', point: true, strokeWidth: 1.5 } })),
    config: { font: 'DejaVu Sans, Arial, sans-serif', view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

function rows(series: Series[], maxPoints: number): { series: string; x: number; y: number }[] {
  const out: { series: string; x: number; y: number }[] = [];
  for (const s of series) {
    const n = Math.min(s.x.length, s.y.length);
    const stride = Math.max(1, Math.ceil(n / maxPoints));
    for (let i = 0; i < n; i += stride) {
      const y = s.y[i]!;
      // Vega drops non-finite values from scales; keep them out of the data instead.
      if (Number.isFinite(y)) out.push({ series: s.name, x: s.x[i]!, y });
    }
  }
  return out;
}

import type { EpochMetrics } from '../../train/index.js';

/**
 * A Vega-Lite spec of the learning curves: loss and accuracy per epoch, train vs test, side
 * by side. Rows are long-form ({epoch, metric, split, value}) so one spec draws both panels.
 */
export function curvesSpec(title: string, history: readonly EpochMetrics[]): Record<string, unknown> {
  const values = history.flatMap((m) => [
    { epoch: m.epoch, metric: 'loss', split: 'train', value: m.train_loss },
    { epoch: m.epoch, metric: 'loss', split: 'test', value: m.test_loss },
    { epoch: m.epoch, metric: 'accuracy', split: 'train', value: m.train_acc },
    { epoch: m.epoch, metric: 'accuracy', split: 'test', value: m.test_acc },
  ]);
  const panel = (metric: string) => ({
    title: metric,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line', point: true },
    width: 280,
    height: 200,
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, title: 'epoch' },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: metric },
      color: { field: 'split', type: 'nominal', scale: { domain: ['train', 'test'] }, title: null },
      tooltip: [{ field: 'epoch' }, { field: 'split' }, { field: 'value', format: '.4f' }],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    hconcat: [panel('loss'), panel('accuracy')],
    config: { font: 'sans-serif' },
  };
}

/** Renders the curves to SVG with Vega in Node (no canvas needed for SVG). */
export async function renderCurvesSvg(title: string, history: readonly EpochMetrics[]): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(curvesSpec(title, history) as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

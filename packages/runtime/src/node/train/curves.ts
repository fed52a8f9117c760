import { renderSvg, trainingCurvesChart } from '@snnc/plot';
import type { EpochMetrics } from '../../train/index.js';

/** The run's learning curves (loss and accuracy per epoch, train vs test) as SVG, for curves.svg. */
export async function renderCurvesSvg(title: string, history: readonly EpochMetrics[]): Promise<string> {
  return renderSvg(trainingCurvesChart(history, title));
}

export { renderSvg, renderFigure, figureFormatOf, type FigureFormat } from './render.js';
export {
  timeSeriesChart,
  trainingCurvesChart,
  type Series,
  type Panel,
  type TimeSeriesOptions,
  type EpochMetrics,
} from './charts.js';

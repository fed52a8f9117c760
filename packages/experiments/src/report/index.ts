export { buildReport, reportRow, pickNumber, type Report, type ReportRow, type RunStatus } from './table.js';
export { sweptFields, valueOf, describeExperiment } from './values.js';
export {
  reportTable,
  formatTerminalTable,
  formatMarkdownTable,
  reportCsv,
  reportJson,
  reportMarkdown,
  type TextTable,
  type ReportFigure,
} from './format.js';
export { reportHtml } from './html.js';
export { accuracyVsEnergyChart, accuracyVsFieldChart, curvesOverlayChart, fieldSlug, paretoFront, type ChartSpec, type EnergyPoint } from './figures.js';

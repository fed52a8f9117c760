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
export { accuracyVsFieldChart, curvesOverlayChart, fieldSlug, type ChartSpec } from './figures.js';

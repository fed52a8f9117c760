export { ExportError, exportModel, type ExportOptions, type ExportResult, type ExportTensor } from './export.js';

export { ExportError, exportModel, type ExportOptions, type ExportResult, type ExportTensor, type ExportWarning } from './export.js';
export { isSpiking } from './spikes.js';

export { ExportError, exportModel, type ExportOptions, type ExportResult, type ExportTensor } from './export.js';
export { isSpiking } from './spikes.js';

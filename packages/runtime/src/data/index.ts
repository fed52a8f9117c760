export { gatherBatch, testBatch, testBatchCount, trainBatch, trainBatchCount, trainOrder, type HostBatch } from './batches.js';
export { makeDataset, sampleSize, takeFirst, type Dataset } from './dataset.js';
export { normalizeTable } from './normalize.js';

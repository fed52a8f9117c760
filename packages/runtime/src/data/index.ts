export { gatherBatch, testBatch, testBatchCount, trainBatch, trainBatchCount, trainOrder, type HostBatch } from './batches.js';
export { makeDataset, sampleSize, takeFirst, type Dataset } from './dataset.js';
export { normalizeTable } from './normalize.js';
export {
  binEvents,
  gatherSequenceBatch,
  isSequence,
  makeSequenceDataset,
  packEvents,
  rowsAsSequence,
  stepSize,
  takeFirstSequences,
  testSequenceBatch,
  trainSequenceBatch,
  type SequenceBatch,
  type SequenceDataset,
  type SequenceStorage,
} from './sequence.js';

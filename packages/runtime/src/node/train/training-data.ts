import { sequenceOf, type DataSpec } from '@snnc/ir';
import { takeFirst, takeFirstSequences } from '../../data/index.js';
import type { TrainingData } from '../../train/data-source.js';
import { loadData, loadSequenceData } from './data.js';

/**
 * Loads an experiment's data, static samples or sequences (one frame per step) by its kind,
 * keeping the first `limits` samples of each split (all when undefined).
 */
export async function loadTrainingData(spec: DataSpec, baseDir: string, limits: { train?: number | undefined; test?: number | undefined }): Promise<{ source: string; train: TrainingData; test: TrainingData }> {
  if (sequenceOf(spec)) {
    const d = await loadSequenceData(spec, baseDir);
    return { source: d.source, train: takeFirstSequences(d.train, limits.train), test: takeFirstSequences(d.test, limits.test) };
  }
  const d = await loadData(spec, baseDir);
  return { source: d.source, train: takeFirst(d.train, limits.train), test: takeFirst(d.test, limits.test) };
}

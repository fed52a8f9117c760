import type { EpochScores } from '@snnc/ir';
import type { ActivitySummary, LayerRate } from './activity/index.js';

/** One epoch's results; the snake_case keys are the report's line and `metrics.jsonl` fields. */
export interface EpochMetrics extends EpochScores {
  max_test_acc: number;
  /** Wall-clock seconds of this epoch: training plus evaluation (the report's total_time). */
  total_time: number;
  train_time: number;
  test_time: number;
  /** Learning rate of the epoch's last update. */
  lr: number;
  /** Optimizer updates so far in the run. */
  steps: number;
  /** Training images per second in this epoch. */
  images_per_s: number;
  /** Whether test accuracy beat every earlier epoch (the best checkpoint is saved). */
  improved: boolean;
  /** Per-layer activity, SynOps, MACs and energy per sample, measured on the test set in eval mode. */
  activity?: ActivitySummary;
  /** Each neuron layer's firing rate in training mode over this epoch's batches (of this process, after a resume). */
  train_firing_rates?: Record<string, number>;
}

/** Progress inside an epoch, reported after every batch. */
export interface BatchProgress {
  phase: 'train' | 'test';
  epoch: number;
  /** Batches done in this phase, 1-based after the first. */
  batch: number;
  batches: number;
  /** Running mean loss and accuracy over this phase so far. */
  loss: number;
  accuracy: number;
  /** Seconds spent in this phase so far (including time before a resume). */
  seconds: number;
  lr: number;
  /** tf.memory() after the batch: live tensors and their bytes. */
  numTensors: number;
  numBytes: number;
  /** Training: each neuron layer's firing rate over the last logging interval (absent before the first). */
  rates?: LayerRate[];
}

/** The report's per-epoch line, exactly: `epoch=0, train_loss=0.0123, ..., total_time=12.3`. */
export function formatEpochLine(m: EpochMetrics): string {
  const f4 = (x: number) => x.toFixed(4);
  return (
    `epoch=${m.epoch}, train_loss=${f4(m.train_loss)}, train_acc=${f4(m.train_acc)}, ` +
    `test_loss=${f4(m.test_loss)}, test_acc=${f4(m.test_acc)}, max_test_acc=${f4(m.max_test_acc)}, ` +
    `total_time=${m.total_time.toFixed(1)}`
  );
}

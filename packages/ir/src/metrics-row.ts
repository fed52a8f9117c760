/**
 * The scores every line of a run's `metrics.jsonl` has, one line per epoch, under the names
 * the report's epoch line prints (snake_case). The runtime writes more fields (timings,
 * activity); readers that need only these (reports, curves) use this type.
 */
export interface EpochScores {
  epoch: number;
  train_loss: number;
  train_acc: number;
  test_loss: number;
  test_acc: number;
}

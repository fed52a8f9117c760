/** A trainer whose process dies mid-run without a word (a native crash, the OOM killer). Tests only. */
import type { TrainJob, TrainResult } from '../trainer.js';

export async function train(_job: TrainJob): Promise<TrainResult> {
  process.exit(3);
}

/** @snnc/experiments/node: run directories, point processes, local sweeps, replay, reports on disk, the BullMQ queue. */
export { RUN_FILES, findRunDirs, readRunDir, loadRuns, readMetrics, readRecord, isFinished } from './run-dir.js';
export { specHash, sweepHash } from './hash.js';
export { startRecord, finishRecord, writeRecord, describeError, type RecordInput } from './record.js';
export { defaultTrainerModule, type Trainer, type TrainJob, type TrainResult, type TrainerModule } from './trainer.js';
export { runPoint, type PointCallbacks } from './point-process.js';
export type { PointJob } from './point-protocol.js';
export { planSweep, pointDirName, defaultParallelism, type PlannedPoint, type SweepPlan } from './plan.js';
export { runSweepLocal, type LocalSweepOptions, type LocalSweepResult } from './local-sweep.js';
export { liveTable, type LiveTable } from './live-table.js';
export { replayRun, compareMetrics, type ReplayOptions, type ReplayResult, type MetricsComparison } from './replay.js';
export { writeReport, reportFigures, type WrittenReport } from './write-report.js';
export { writeFileAtomic, readJsonObject } from './files.js';
export * from './queue/index.js';

export { parseRedisUrl, connectRedis, type RedisTarget } from './connection.js';
export { submitSweep, type SubmitOptions, type SubmitResult, type QueueJobData } from './submit.js';
export { runQueueWorker, type QueueWorkerOptions, type WorkerEvent } from './worker.js';
export { collectSweep, queueSweepStatus, type CollectResult } from './collect.js';
export { QUEUE_NAME, KEY_PREFIX, resultsKey, failuresKey, sweepKey, type SweepMeta, type QueueResult, type JobProgress } from './keys.js';

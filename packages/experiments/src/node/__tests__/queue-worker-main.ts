/**
 * A queue worker process for the two-worker test: `queue-worker-main.ts URL WORKDIR`.
 * Prints each WorkerEvent as a JSON line; SIGTERM stops it after its running point.
 */
import { runQueueWorker } from '../queue/worker.js';

const [url, workDir] = process.argv.slice(2);
if (url === undefined || workDir === undefined) throw new Error('usage: queue-worker-main.ts URL WORKDIR');
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
await runQueueWorker({
  url,
  workDir,
  concurrency: 1,
  threads: 1,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
  trainerModule: new URL('./fake-trainer.ts', import.meta.url).href,
  signal: stop.signal,
  onEvent: (e) => process.stdout.write(`${JSON.stringify({ ...e, workerPid: process.pid })}\n`),
});
process.exit(0);

import { parentPort } from 'node:worker_threads';
import { solveJob, type SolveJob } from '../build.js';

/** A decoder-solving thread: one job per message, the decoders sent back without copying. */
parentPort?.on('message', (job: SolveJob) => {
  try {
    const res = solveJob(job);
    parentPort!.postMessage({ ok: true, res }, res.decoders.map((d) => d.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});

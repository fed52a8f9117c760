/**
 * The process one sweep point trains in (spawned by runPoint with an IPC channel). Training
 * blocks its event loop for seconds at a time, so it runs here and not in the process that
 * schedules points, redraws the table or renews BullMQ job locks.
 */
import { finishRecord, startRecord, writeRecord } from './record.js';
import type { ParentMessage, PointMessage } from './point-protocol.js';
import type { TrainerModule } from './trainer.js';

function send(m: PointMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
}

// Orphaned (the parent was killed): stop, so a queue worker's point is not trained twice.
process.on('disconnect', () => process.exit(130));

// Ctrl-C on a sweep, or a worker shutting down: let the trainer stop cleanly.
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
process.on('SIGINT', () => stop.abort());

process.once('message', (m: ParentMessage) => {
  void (async () => {
    const job = m.job;
    let record = startRecord(job);
    writeRecord(job.runDir, record);
    await send({ kind: 'started', pid: process.pid });
    try {
      const mod = (await import(job.trainerModule)) as Partial<TrainerModule>;
      if (typeof mod.train !== 'function') throw new Error(`trainer module ${job.trainerModule}: expected an exported function \`train\``);
      const result = await mod.train({
        experiment: job.experiment,
        runDir: job.runDir,
        limits: job.limits,
        backend: job.backend,
        threads: job.threads,
        baseDir: job.baseDir,
        ...(job.spec !== undefined ? { spec: job.spec } : {}),
        signal: stop.signal,
        resume: job.resume === true,
      });
      record = finishRecord(record, result);
    } catch (e) {
      record = finishRecord(record, { error: e });
      process.stderr.write(`${record.error?.message ?? String(e)}\n`);
    }
    writeRecord(job.runDir, record);
    await send({ kind: 'finished', record });
    // tfjs backends keep handles open; the point is done, so leave now.
    process.exit(record.status === 'ok' ? 0 : 1);
  })();
});

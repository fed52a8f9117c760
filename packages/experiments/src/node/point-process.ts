import { fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunRecord } from '../types.js';
import type { ParentMessage, PointJob, PointMessage } from './point-protocol.js';
import { finishRecord, startRecord, writeRecord } from './record.js';
import { readLiveMetrics, readMetrics, RUN_FILES } from './run-dir.js';
import { siblingModule } from './trainer.js';

export interface PointCallbacks {
  onStarted?: (pid: number) => void;
  /** Epochs finished so far and the latest test accuracy (fraction), polled from metrics.jsonl. */
  onProgress?: (epoch: number, testAcc: number | null) => void;
}

/** How often a running point's metrics.jsonl is read for the live table, ms. */
const POLL_MS = 500;

/**
 * The command that starts a point process: the built entry under plain Node, or the
 * TypeScript source through tsx when this package runs from its sources (its tests).
 */
function entryCommand(): { file: string; execArgv: string[] } {
  const url = siblingModule(import.meta.url, 'point-entry');
  const file = fileURLToPath(url);
  if (!file.endsWith('.ts')) return { file, execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { file, execArgv: ['--import', pathToFileURL(tsx).href] };
}

/**
 * Environment of a point process: thread pools capped to its share of the cores, so N
 * parallel points do not oversubscribe the machine. `threads` 0 caps nothing: the replay of
 * a `snnc run` trains with the same library defaults the run had (thread counts change
 * the order of float sums, so the numbers).
 */
function pointEnv(threads: number): NodeJS.ProcessEnv {
  if (threads === 0) return process.env;
  const t = String(threads);
  return { ...process.env, OMP_NUM_THREADS: t, TF_NUM_INTRAOP_THREADS: t, TF_NUM_INTEROP_THREADS: '1', UV_THREADPOOL_SIZE: String(Math.max(4, threads)) };
}

/**
 * Trains one point in its own process and resolves to its final record (never rejects for
 * a failed run: a failure is a record with status `failed`). The run directory is emptied
 * first, so a re-run never mixes with a half-finished earlier attempt, unless `job.resume`
 * continues an interrupted run there. Aborting `signal` sends SIGTERM: the trainer stops
 * between two batches and saves a checkpoint to resume from.
 */
export function runPoint(job: PointJob, callbacks: PointCallbacks = {}, signal?: AbortSignal): Promise<RunRecord> {
  if (job.resume !== true) rmSync(job.runDir, { recursive: true, force: true });
  mkdirSync(job.runDir, { recursive: true });
  const logFd = openSync(path.join(job.runDir, RUN_FILES.log), 'a');
  const { file, execArgv } = entryCommand();
  const child = fork(file, [], { execArgv, stdio: ['ignore', logFd, logFd, 'ipc'], env: pointEnv(job.threads) });
  closeSync(logFd);

  return new Promise<RunRecord>((resolve) => {
    let final: RunRecord | undefined;
    let lastEpoch = -1;
    const poll = setInterval(() => {
      const rows = readLiveMetrics(job.runDir);
      if (rows.length !== lastEpoch) {
        lastEpoch = rows.length;
        const acc = rows.at(-1)?.test_acc;
        callbacks.onProgress?.(rows.length, typeof acc === 'number' ? acc : null);
      }
    }, POLL_MS);
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (m: PointMessage) => {
      if (m.kind === 'started') callbacks.onStarted?.(m.pid);
      else if (m.kind === 'finished') final = m.record;
    });
    let settled = false;
    const settle = (record: RunRecord) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      signal?.removeEventListener('abort', onAbort);
      resolve(record);
    };
    child.on('error', (e) => {
      // The process could not be started (no such file, out of processes): no 'exit' follows.
      if (child.pid === undefined) {
        const failed = finishRecord(startRecord(job), { error: e });
        writeRecord(job.runDir, failed);
        settle(failed);
      }
    });
    child.on('exit', (code, sig) => {
      if (final === undefined) {
        // Died without reporting: killed, out of memory, or a crash in native code.
        const why = signal?.aborted ? 'interrupted' : sig !== null ? `killed by ${sig}` : `exited with code ${code ?? '?'}`;
        final = finishRecord(startRecord(job), { error: new Error(`the point process ${why} (see ${path.join(job.runDir, RUN_FILES.log)})`) });
        writeRecord(job.runDir, final);
      }
      const rows = readMetrics(job.runDir);
      const acc = rows.at(-1)?.test_acc;
      callbacks.onProgress?.(rows.length, typeof acc === 'number' ? acc : null);
      settle(final);
    });
    const start: ParentMessage = { kind: 'run', job };
    child.send(start);
  });
}

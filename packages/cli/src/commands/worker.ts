import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { assertNever, isSnncError } from '@snnc/ir';
import type { WorkerEvent } from '@snnc/experiments/node';
import { printDiagnostics, type Io } from '../io.js';
import { positiveInt } from '../options.js';

interface WorkerFlags {
  queue: string;
  shared?: string;
  workDir: string;
  concurrency: number;
  threads?: number;
  lockDuration: number;
  stalledInterval: number;
}

/** Registers `snnc worker`. */
export function registerWorkerCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('worker')
    .description('train sweep points from a BullMQ queue until stopped (Ctrl-C / SIGTERM finish the running point first)')
    .requiredOption('--queue <url>', 'the queue: redis://HOST:PORT')
    .option('--shared <dir>', 'a directory all machines see: runs (with checkpoints) go to <dir>/<sweep>/<point>/; without it the run files travel through Redis')
    .option('--work-dir <dir>', 'where points train without --shared', path.join(os.tmpdir(), 'snnc-worker'))
    .option('-j, --concurrency <n>', 'points trained at once on this machine', positiveInt, 1)
    .option('--threads <n>', 'threads per point (default: the cores divided by --concurrency)', positiveInt)
    .option('--lock-duration <ms>', 'a point\'s lock expires this long after its worker dies; it is then retried elsewhere', positiveInt, 30_000)
    .option('--stalled-interval <ms>', 'how often to look for points of dead workers', positiveInt, 30_000)
    .action(async (flags: WorkerFlags) => {
      setExit(await workerCommand(flags, io));
    });
}

function describe(e: WorkerEvent): string {
  switch (e.kind) {
    case 'ready':
      return `worker ${e.worker} waiting for points`;
    case 'started':
      return `${e.sweep}/${e.pointId}: training in ${e.runDir} (pid ${e.pid})`;
    case 'finished':
      return e.status === 'ok' ? `${e.sweep}/${e.pointId}: done in ${e.seconds.toFixed(1)} s` : `${e.sweep}/${e.pointId}: FAILED: ${e.error ?? ''}`;
    case 'skipped':
      return `${e.sweep}/${e.pointId}: already has a result, skipped`;
    case 'rejected':
      return `job ${e.jobId}: REJECTED, not run: ${e.reason}`;
    case 'queue-error':
      return `queue error: ${e.message}`;
    default:
      return assertNever(e);
  }
}

async function workerCommand(flags: WorkerFlags, io: Io): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('stopping: finishing the running point(s) (again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    // BullMQ and the trainer load only when a worker starts, never for `snnc check`.
    const { runQueueWorker } = await import('@snnc/experiments/node');
    await runQueueWorker({
      url: flags.queue,
      workDir: path.resolve(io.cwd, flags.workDir),
      ...(flags.shared !== undefined ? { shared: path.resolve(io.cwd, flags.shared) } : {}),
      concurrency: flags.concurrency,
      ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      lockDurationMs: flags.lockDuration,
      stalledIntervalMs: flags.stalledInterval,
      signal: controller.signal,
      onEvent: (e) => io.stdout.write(`${describe(e)}\n`),
    });
    return 0;
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic('snnc worker')], () => undefined);
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

import path from 'node:path';
import { Option, type Command } from 'commander';
import { hasErrors, isSnncError, makeDiagnostic, syntheticRange, type Sweep } from '@snnc/ir';
import { BACKEND_REQUESTS, selectSweep, type BackendRequest, type QuickOverrides, type SpecSource } from '@snnc/experiments';
import { printDiagnostics, type Io } from '../io.js';
import { positiveInt } from '../options.js';
import { addQuickRunOptions, interruptible, overridesOf, type QuickRunFlags } from '../quick-run.js';
import { loadAndCompile } from '../source.js';
import { snncVersion } from '@snnc/ir/node';

interface SweepFlags extends QuickRunFlags {
  sweep?: string;
  parallel?: number;
  threads?: number;
  runsDir: string;
  report: boolean;
  reuse: boolean;
  queue?: string;
  wait?: boolean;
}

/** How often `--queue --wait` looks at the queue, ms. */
const QUEUE_POLL_MS = 1000;

/** Registers `snnc sweep`. */
export function registerSweepCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const sweep = program
    .command('sweep')
    .description('run every point of a sweep, each in its own process (or on a BullMQ queue with --queue)')
    .argument('<file>', '.snn file')
    .option('-s, --sweep <name>', 'the sweep to run (when the file has several)')
    .option('-j, --parallel <n>', 'points trained at once (default: one per core)', positiveInt)
    .option('--threads <n>', 'threads per point (default: the cores divided among the parallel points)', positiveInt);
  addQuickRunOptions(sweep)
    .option('--runs-dir <dir>', 'where run directories go (<dir>/<sweep>/<point>/)', 'runs')
    .option('--no-report', 'do not write the comparison report into <runs-dir>/<sweep>/report when done')
    .option('--no-reuse', 'train every point, even one whose spec already ran in another sweep under --runs-dir')
    .option('--queue <url>', 'put the points on the BullMQ queue at redis://HOST:PORT instead of running them here')
    .option('--wait', 'with --queue: show the points\' progress until every point is done or failed')
    .action(async (file: string, flags: SweepFlags) => {
      setExit(await sweepCommand(file, flags, io));
    });
}

async function sweepCommand(file: string, flags: SweepFlags, io: Io): Promise<number> {
  const loaded = loadAndCompile(file, io.cwd);
  printDiagnostics(io, loaded.diagnostics, (f) => loaded.sources.get(f));
  const ir = loaded.result?.ir;
  if (ir === undefined || hasErrors(loaded.diagnostics)) return 1;
  const picked = selectSweep(ir, flags.sweep);
  if ('error' in picked) {
    printDiagnostics(io, [makeDiagnostic('SNN9002', syntheticRange(file), { message: picked.error })], () => undefined);
    return 1;
  }
  const sweep = picked.sweep;
  const specFile = path.resolve(io.cwd, file);
  const common: Common = {
    sweep,
    overrides: overridesOf(flags),
    backend: flags.backend,
    baseDir: path.dirname(specFile),
    snncVersion: snncVersion(),
    spec: { file: specFile, source: loaded.text ?? '' },
  };
  try {
    if (flags.queue !== undefined) return await queueSweep(flags.queue, common, flags.wait === true, io);
    return await localSweep(common, flags, io);
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic(file)], (f) => (e.range === undefined ? undefined : loaded.sources.get(f)));
      return 1;
    }
    throw e;
  }
}

interface Common {
  sweep: Sweep;
  overrides: QuickOverrides;
  backend: BackendRequest;
  baseDir: string;
  snncVersion: string;
  spec: SpecSource;
}

async function localSweep(common: Common, flags: SweepFlags, io: Io): Promise<number> {
  // Loaded here, not at the top: process pools and reports are too heavy for `snnc check`'s start-up.
  const { findRunDirs, liveTable, loadRuns, runSweepLocal, writeReport } = await import('@snnc/experiments/node');
  const interrupt = interruptible(io, 'stopping the running points');
  const runsDir = path.resolve(io.cwd, flags.runsDir);
  const table = liveTable(io.stdout);
  try {
    const res = await runSweepLocal({
      ...common,
      runsDir,
      ...(flags.parallel !== undefined ? { parallel: flags.parallel } : {}),
      ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
      reuse: flags.reuse,
      onUpdate: (all, changed) => table.update(all, changed),
      signal: interrupt.signal,
    });
    table.close(res.points);
    const rel = path.relative(io.cwd, res.plan.dir) || '.';
    if (flags.report) {
      const runs = loadRuns(findRunDirs(res.plan.points.map((p) => p.runDir)));
      if (runs.length > 0) {
        const w = await writeReport(runs, { outDir: path.join(res.plan.dir, 'report'), title: `sweep ${res.plan.sweep}` });
        io.stdout.write(`\n${w.terminal}report: ${path.relative(io.cwd, path.join(res.plan.dir, 'report', 'report.html'))}\n`);
      }
    }
    io.stdout.write(`runs in ${rel}; compare them with \`snnc report ${rel}\`\n`);
    if (interrupt.signal.aborted) return 130;
    if (res.failed > 0) {
      io.stderr.write(`${res.failed} of ${res.points.length} point(s) failed; their logs are in <point>/train.log\n`);
      return 1;
    }
    return 0;
  } finally {
    interrupt.dispose();
  }
}

async function queueSweep(url: string, common: Common, wait: boolean, io: Io): Promise<number> {
  const { liveTable, queueSweepStatus, submitSweep } = await import('@snnc/experiments/node');
  const sub = await submitSweep({ url, ...common });
  io.stdout.write(
    `sweep ${common.sweep.name} (${sub.hash}): ${sub.queued.length} point(s) queued, ${sub.done.length} already done on ${url}\n` +
      `start workers with \`snnc worker --queue ${url}\`; collect with \`snnc report --queue ${url} --sweep ${common.sweep.name}\`\n`,
  );
  if (!wait) return 0;
  const epochs = new Map(common.sweep.points.map((p) => [p.id, common.overrides.epochs ?? p.experiment.epochs]));
  const table = liveTable(io.stdout);
  for (;;) {
    const points = await queueSweepStatus({ url, sweep: common.sweep.name, epochs: (id) => epochs.get(id) ?? 0 });
    for (const p of points) table.update(points, p);
    if (points.every((p) => p.phase === 'done' || p.phase === 'failed')) {
      table.close(points);
      return points.some((p) => p.phase === 'failed') ? 1 : 0;
    }
    await new Promise((r) => setTimeout(r, QUEUE_POLL_MS));
  }
}

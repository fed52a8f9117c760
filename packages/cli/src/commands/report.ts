import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isSnncError, makeDiagnostic, syntheticRange, SnncError } from '@snnc/ir';
import { printDiagnostics, type Io } from '../io.js';

interface ReportFlags {
  out?: string;
  title?: string;
  queue?: string;
  sweep?: string;
  runsDir: string;
}

/** Registers `snnc report`. */
export function registerReportCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('compare run directories (a sweep directory or single runs): table, CSV, JSON, Markdown, HTML and figures')
    .argument('[dirs...]', 'run directories, or directories holding them (runs/<sweep>)')
    .option('-o, --out <dir>', 'where to write report.{md,csv,json,html} and the SVG figures (default: <dir>/report for one directory, else ./report)')
    .option('--title <text>', 'the report title')
    .option('--queue <url>', 'collect a sweep\'s results from the BullMQ queue at redis://HOST:PORT (with --sweep)')
    .option('-s, --sweep <name>', 'with --queue: the sweep to collect')
    .option('--runs-dir <dir>', 'with --queue: where the collected run directories go (<dir>/<sweep>/<point>/)', 'runs')
    .action(async (dirs: string[], flags: ReportFlags) => {
      setExit(await reportCommand(dirs, flags, io));
    });
}

function usage(io: Io, message: string): number {
  printDiagnostics(io, [makeDiagnostic('SNN9003', syntheticRange('snnc report'), { message })], () => undefined);
  return 2;
}

async function reportCommand(dirs: string[], flags: ReportFlags, io: Io): Promise<number> {
  if (flags.queue !== undefined && flags.sweep === undefined) return usage(io, '--queue needs --sweep NAME');
  if (flags.queue === undefined && flags.sweep !== undefined) return usage(io, '--sweep is for --queue; give the sweep\'s directory (runs/<sweep>) instead');
  if (flags.queue === undefined && dirs.length === 0) return usage(io, 'give run directories, or --queue URL --sweep NAME');
  try {
    // Loaded here, not at the top: reports and the queue client are too heavy for `snnc check`'s start-up.
    const { collectSweep, findRunDirs, loadRuns, writeReport } = await import('@snnc/experiments/node');
    let runDirs: string[];
    let outDefault: string;
    if (flags.queue !== undefined) {
      const runsDir = path.resolve(io.cwd, flags.runsDir);
      const col = await collectSweep({ url: flags.queue, sweep: flags.sweep!, outDir: runsDir });
      io.stdout.write(`sweep ${col.meta.name} (${col.meta.hash}): ${col.done.length} done, ${col.failed.length} failed, ${col.missing.length} not finished yet\n`);
      if (col.missing.length > 0) io.stdout.write(`not finished: ${col.missing.join(' ')}\n`);
      for (const c of col.corrupt) io.stderr.write(`warning: point ${c.pointId}: left out, ${c.reason}\n`);
      for (const r of col.rejected) io.stderr.write(`warning: job ${r.jobId}${r.pointId !== null ? ` (point ${r.pointId})` : ''} was rejected by worker ${r.worker}: ${r.reason}\n`);
      runDirs = col.runDirs;
      outDefault = path.join(runsDir, col.meta.name, 'report');
    } else {
      for (const d of dirs) {
        if (!existsSync(path.resolve(io.cwd, d))) throw new SnncError('SNN7012', { path: d, reason: 'no such directory' });
      }
      runDirs = findRunDirs(dirs.map((d) => path.resolve(io.cwd, d)));
      outDefault = dirs.length === 1 ? path.resolve(io.cwd, dirs[0]!, 'report') : path.resolve(io.cwd, 'report');
    }
    if (runDirs.length === 0) {
      throw new SnncError('SNN9002', { message: `no run directories found${dirs.length > 0 ? ` under ${dirs.join(', ')}` : ''}` });
    }
    const out = flags.out !== undefined ? path.resolve(io.cwd, flags.out) : outDefault;
    const w = await writeReport(loadRuns(runDirs), { outDir: out, ...(flags.title !== undefined ? { title: flags.title } : {}) });
    io.stdout.write(w.terminal);
    io.stdout.write(`wrote ${w.files.length} files to ${path.relative(io.cwd, out) || '.'}: ${w.files.map((f) => path.basename(f)).join(', ')}\n`);
    return 0;
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic('snnc report')], () => undefined);
      return 1;
    }
    throw e;
  }
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Experiment } from '@snnc/ir';
import { readRegularFile, RUN_FILES } from '@snnc/ir/node';
import type { EpochRow, RunData, RunRecord } from '../types.js';
import { readJsonObject } from './files.js';

/** The files of a run directory, by role: the one list in @snnc/ir/node. */
export { RUN_FILES } from '@snnc/ir/node';

/** Epoch rows of metrics.jsonl; a half-written last line (a run in progress) is skipped. */
export function readMetrics(dir: string): EpochRow[] {
  const read = readRegularFile(path.join(dir, RUN_FILES.metrics), 'json');
  if (!read.ok) return [];
  const text = read.bytes.toString('utf8');
  const rows: EpochRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v !== null && typeof v === 'object' && typeof (v as { epoch?: unknown }).epoch === 'number') rows.push(v as EpochRow);
    } catch {
      // a line still being written
    }
  }
  return rows;
}

export function readRecord(dir: string): RunRecord | undefined {
  const r = readJsonObject(path.join(dir, RUN_FILES.record));
  return r !== undefined && r['recordVersion'] === 1 ? (r as unknown as RunRecord) : undefined;
}

/**
 * Whether a run directory holds a finished run: a complete summary.json (status
 * `completed` where it says), and, when the
 * directory has a record, a successful one of the same spec (a changed spec runs again).
 */
export function isFinished(dir: string, expectedSpecHash?: string): boolean {
  const summary = readJsonObject(path.join(dir, RUN_FILES.summary));
  // runExperiment rewrites summary.json after every epoch with status `interrupted` until the end
  if (summary === undefined || (summary['status'] !== undefined && summary['status'] !== 'completed')) return false;
  const record = readRecord(dir);
  if (record === undefined) return expectedSpecHash === undefined;
  if (record.status !== 'ok') return false;
  return expectedSpecHash === undefined || record.specHash === expectedSpecHash;
}

/**
 * Whether a run directory holds an interrupted run of this spec that `runExperiment` can
 * continue: its summary says `interrupted` and its `last/` checkpoint is there.
 */
export function isResumable(dir: string, expectedSpecHash: string): boolean {
  const summary = readJsonObject(path.join(dir, RUN_FILES.summary));
  const record = readRecord(dir);
  return summary?.['status'] === 'interrupted' && record?.specHash === expectedSpecHash && existsSync(path.join(dir, 'last'));
}

function isRunDir(dir: string): boolean {
  return [RUN_FILES.summary, RUN_FILES.record, RUN_FILES.metrics, RUN_FILES.experiment].some((f) => existsSync(path.join(dir, f)));
}

/**
 * Run directories under the given paths: a path that is a run directory is taken as is;
 * otherwise its subdirectories are searched (up to `depth` levels: `runs/` holds
 * `<sweep>/<point>/`). Sorted, without duplicates.
 */
export function findRunDirs(paths: readonly string[], depth = 3): string[] {
  const found = new Set<string>();
  const visit = (dir: string, left: number) => {
    if (isRunDir(dir)) {
      found.add(dir);
      return;
    }
    if (left === 0) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries.sort()) {
      const sub = path.join(dir, e);
      try {
        if (statSync(sub).isDirectory()) visit(sub, left - 1);
      } catch {
        // vanished while listing
      }
    }
  };
  for (const p of paths) visit(path.resolve(p), depth);
  return [...found];
}

/** Reads one run directory (whatever it holds so far). */
export function readRunDir(dir: string, label = path.basename(dir)): RunData {
  const record = readRecord(dir);
  // runExperiment writes `{ irVersion, experiment }`; older files hold the bare experiment
  const file = readJsonObject(path.join(dir, RUN_FILES.experiment));
  const fromFile = (file !== undefined && typeof file['experiment'] === 'object' ? file['experiment'] : file) as Experiment | undefined;
  const experiment = record?.experiment ?? fromFile;
  const summary = readJsonObject(path.join(dir, RUN_FILES.summary));
  const run: RunData = { dir, label, metrics: readMetrics(dir) };
  if (record !== undefined) run.record = record;
  if (experiment !== undefined && typeof experiment.name === 'string') run.experiment = experiment;
  if (summary !== undefined) run.summary = summary;
  return run;
}

/**
 * Reads many run directories with unique labels: the sweep point id where every run has
 * one and they differ, else the path relative to the runs' common parent.
 * Sweep runs come in sweep-point order when their records say so.
 */
export function loadRuns(dirs: readonly string[]): RunData[] {
  const runs = dirs.map((d) => readRunDir(d));
  if (runs.every((r) => r.record?.point !== undefined)) {
    // sweeps in the order their directories were given, points in sweep order within each
    const sweepOrder = [...new Set(runs.map((r) => r.record!.point!.sweep))];
    const key = (r: RunData) => sweepOrder.indexOf(r.record!.point!.sweep);
    runs.sort((a, b) => key(a) - key(b) || a.record!.point!.index - b.record!.point!.index);
  }
  const ids = runs.map((r) => r.record?.point?.pointId);
  const unique = ids.every((id) => id !== undefined) && new Set(ids).size === ids.length;
  const parent = commonParent(dirs);
  for (const r of runs) r.label = unique ? r.record!.point!.pointId : path.relative(parent, r.dir) || path.basename(r.dir);
  return runs;
}

function commonParent(dirs: readonly string[]): string {
  if (dirs.length === 0) return '.';
  let parts = path.dirname(dirs[0]!).split(path.sep);
  for (const d of dirs.slice(1)) {
    const p = path.dirname(d).split(path.sep);
    let i = 0;
    while (i < parts.length && i < p.length && parts[i] === p[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(path.sep) || path.sep;
}

/**
 * Where `runExperiment` trains inside a point directory before its files are moved up:
 * it names its own run directories (`<runsDir>/<experiment>/<stamp>-<hash>/`).
 */
export const STAGING_DIR = '.run';

/** The metrics of a run in progress, in the point directory or still in its staging run directory. */
export function readLiveMetrics(dir: string): EpochRow[] {
  if (existsSync(path.join(dir, RUN_FILES.metrics))) return readMetrics(dir);
  const staging = path.join(dir, STAGING_DIR);
  for (const exp of safeList(staging)) {
    for (const run of safeList(path.join(staging, exp))) {
      const d = path.join(staging, exp, run);
      if (existsSync(path.join(d, RUN_FILES.metrics))) return readMetrics(d);
    }
  }
  return [];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

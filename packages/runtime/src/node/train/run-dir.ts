import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readRegularFile, runFiles } from '@snnc/ir/node';
import { IR_VERSION, OLDEST_READABLE_IR_VERSION, SnncError, type Experiment, type Program } from '@snnc/ir';
import type { EpochMetrics } from '../../train/index.js';
import { writeFileSynced } from './fs-atomic.js';
import type { RunOverrides } from './overrides.js';

/**
 * run.json: how `snnc run` started the run, so that `--resume` can rebuild it exactly. (A
 * sweep point's full reproducibility record is @snnc/experiments' RunRecord, record.json.)
 */
export interface RunStart {
  format: 'snnc-run';
  version: 1;
  experiment: string;
  specFile: string;
  overrides: RunOverrides;
  backendRequest: string;
  createdAt: string;
}

/** The files of a run directory, by role: the one list in @snnc/ir/node. */
export { runFiles } from '@snnc/ir/node';

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A file-name-safe directory name for an experiment (sweep point names may hold `=` and `,`). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.=,+-]/g, '_') || 'experiment';
}

/**
 * Creates `runsDir/<experiment>/<YYYYMMDD-HHMMSS>-<hash>/`, unique: the hash covers the
 * experiment, the time, the process and random bytes, and mkdir fails rather than reuse an
 * existing directory (then a new hash is drawn).
 */
export async function createRunDir(runsDir: string, experiment: Experiment, now = new Date()): Promise<string> {
  const parent = path.join(runsDir, safeName(experiment.name));
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    throw new SnncError('SNN7011', { path: parent, reason: (e as Error).message }, { cause: e });
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const hash = createHash('sha256').update(JSON.stringify(experiment)).update(`${now.toISOString()}:${process.pid}:${attempt}`).update(randomBytes(8)).digest('hex').slice(0, 6);
    const dir = path.join(parent, `${stamp(now)}-${hash}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new SnncError('SNN7011', { path: dir, reason: (e as Error).message }, { cause: e });
    }
  }
  throw new SnncError('SNN7011', { path: parent, reason: 'no unused run directory name after 20 tries' });
}

/** Writes the resolved spec: the .snn text, the experiment and program IR, and run.json. */
export async function writeRunSpec(dir: string, o: { specSource: string; experiment: Experiment; program?: Program | undefined; record: RunStart }): Promise<void> {
  const f = runFiles(dir);
  const program: Program = o.program ?? {
    irVersion: IR_VERSION,
    file: o.record.specFile,
    imports: [],
    neurons: [],
    models: [o.experiment.model],
    experiments: [o.experiment],
    sweeps: [],
    networks: [],
  };
  try {
    await writeFileSynced(f.spec, o.specSource);
    await writeFileSynced(f.experiment, JSON.stringify({ irVersion: IR_VERSION, experiment: o.experiment }, null, 1) + '\n');
    await writeFileSynced(f.ir, JSON.stringify(program, null, 1) + '\n');
    await writeFileSynced(f.run, JSON.stringify(o.record, null, 1) + '\n');
  } catch (e) {
    throw new SnncError('SNN7011', { path: dir, reason: (e as Error).message }, { cause: e });
  }
}

/** A run file's text, only from a regular file under READ_LIMITS.json (a run directory may come from anyone). */
function readBounded(file: string): string {
  const r = readRegularFile(file, 'json');
  if (!r.ok) throw new Error(`cannot read ${path.basename(file)}: ${r.reason}`);
  return r.bytes.toString('utf8');
}

/** Reads experiment.json and run.json of an existing run directory (for `--resume`). */
export async function readRunSpec(dir: string): Promise<{ experiment: Experiment; record: RunStart }> {
  const f = runFiles(dir);
  try {
    const e = JSON.parse(readBounded(f.experiment)) as { irVersion: number; experiment: Experiment };
    const record = JSON.parse(readBounded(f.run)) as RunStart;
    if (!(e.irVersion >= OLDEST_READABLE_IR_VERSION && e.irVersion <= IR_VERSION)) throw new Error(`experiment.json has IR version ${e.irVersion}, this snnc reads ${OLDEST_READABLE_IR_VERSION} to ${IR_VERSION}`);
    if (record.format !== 'snnc-run') throw new Error('run.json is not an snnc run record');
    return { experiment: e.experiment, record };
  } catch (e) {
    throw new SnncError('SNN7012', { path: dir, reason: (e as Error).message }, { cause: e });
  }
}

export async function appendMetrics(dir: string, m: EpochMetrics): Promise<void> {
  await appendFile(runFiles(dir).metrics, JSON.stringify(m) + '\n');
}

/** Rewrites metrics.jsonl from a history (on resume, the checkpoint's history is the truth). */
export async function rewriteMetrics(dir: string, history: readonly EpochMetrics[]): Promise<void> {
  await writeFileSynced(runFiles(dir).metrics, history.map((m) => JSON.stringify(m) + '\n').join(''));
}

import path from 'node:path';
import { closestMatch, hasErrors, isSnncError, type Model } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import type { BackendRequest } from '@snnc/experiments';
import { describeFsError, printDiagnostics, writeFileAtomic, type Io } from '../io.js';
import { loadAndCompile } from '../source.js';
import { withNeuronDt } from '../neuron-dt.js';
import { parseTime } from './trace-neuron.js';

/** Longest model trace: 100,000 steps (a trace is one sample, run step by step in memory). */
export const MAX_MODEL_TRACE_STEPS = 100_000;

export interface TraceModelCliOptions {
  model?: string;
  /** CSV: one row per step, one column per input unit (IR order), an optional header. */
  input: string;
  checkpoint?: string;
  dt?: string;
  state: boolean;
  out: string;
  backend: BackendRequest;
}

/**
 * `snnc trace FILE [--model NAME] --input CSV [--checkpoint RUN_DIR] [--dt TIME] [--state]
 * --out CSV`: runs one model on one input sequence (T = the number of rows) and writes, per
 * step, every neuron layer's spikes as `<layer>.spike[i]` (`<layer>.spike` for one unit) and,
 * with --state, its membrane potential before firing as `<layer>.v[i]`. `<layer>` is the
 * source's name for it (`h = ... -> lif`) or its id (`neuron_0`); i counts units in
 * channels-first order, as the model's shapes. The first column is `step`, or `t` in seconds
 * (the end of the step) with --dt.
 */
export async function traceModelCommand(file: string, opts: TraceModelCliOptions, io: Io): Promise<number> {
  const loaded = loadAndCompile(file, io.cwd);
  printDiagnostics(io, loaded.diagnostics, (f) => loaded.sources.get(f));
  if (loaded.text === undefined || hasErrors(loaded.diagnostics) || !loaded.result?.ir) return 1;
  const fail = (message: string, code = 2): number => {
    io.stderr.write(`error: ${message}\n`);
    return code;
  };
  const models = loaded.result.ir.models;
  let model: Model | undefined;
  if (opts.model === undefined) {
    if (models.length !== 1) return fail(`${file} defines ${models.length === 0 ? 'no model' : `${models.length} models (${models.map((m) => m.name).join(', ')}); choose one with --model`}`);
    model = models[0];
  } else {
    model = models.find((m) => m.name === opts.model);
    if (!model) {
      const close = closestMatch(opts.model, models.map((m) => m.name));
      return fail(`--model: ${file} has no model \`${opts.model}\`${close ? ` (did you mean \`${close}\`?)` : ''}${models.length > 0 ? `; models: ${models.map((m) => m.name).join(', ')}` : ''}`);
    }
  }
  let dt: number | undefined;
  if (opts.dt !== undefined) {
    dt = parseTime(opts.dt);
    if (dt === undefined) return fail(`--dt: expected a positive time such as 1ms or 1e-3s, got \`${opts.dt}\``);
    // Continuous-time neurons (NIR imports) are discretised by --dt.
    model = withNeuronDt(model!, dt);
  }
  const units = model!.input.reduce((a, b) => a * b, 1);
  const csv = readRowsCsv(path.resolve(io.cwd, opts.input), units);
  if ('error' in csv) return fail(`--input: ${opts.input}: ${csv.error}`, 1);
  const steps = csv.rows;

  // An imported .snn names its weights file; it is used when no --checkpoint is given.
  let checkpoint = opts.checkpoint === undefined ? undefined : path.resolve(io.cwd, opts.checkpoint);
  if (checkpoint === undefined) {
    const { declaredWeightsOf } = await import('../declared-weights.js');
    const declared = declaredWeightsOf(model!, loaded.sources, io.cwd);
    if (declared && 'error' in declared) return fail(declared.error, 1);
    if (declared) {
      checkpoint = declared.path;
      io.stderr.write(`weights: ${declared.name} (named by ${declared.file})\n`);
    }
  }
  const { traceModel } = await import('@snnc/runtime/node');
  let traced: Awaited<ReturnType<typeof traceModel>>;
  try {
    traced = await traceModel({
      model: model!,
      input: csv.values,
      steps,
      seed: 0,
      state: opts.state,
      backend: opts.backend,
      ...(checkpoint !== undefined ? { checkpoint } : {}),
    });
  } catch (e) {
    if (isSnncError(e)) {
      printDiagnostics(io, [e.toDiagnostic(checkpoint ?? file)], (f) => loaded.sources.get(f));
      return 1;
    }
    throw e;
  }

  const header = [dt === undefined ? 'step' : 't'];
  for (const l of traced.layers) {
    header.push(...columnNames(l.name, 'spike', l.units));
    if (opts.state) header.push(...columnNames(l.name, 'v', l.units));
  }
  const lines = [header.join(',')];
  for (let s = 0; s < steps; s++) {
    const row = [dt === undefined ? String(s) : fmt((s + 1) * dt)];
    for (const l of traced.layers) {
      for (let i = 0; i < l.units; i++) row.push(String(l.spikes[s * l.units + i]));
      if (opts.state) for (let i = 0; i < l.units; i++) row.push(fmt(l.membrane![s * l.units + i]!));
    }
    lines.push(row.join(','));
  }
  const outPath = path.resolve(io.cwd, opts.out);
  try {
    writeFileAtomic(outPath, `${lines.join('\n')}\n`);
  } catch (e) {
    return fail(`--out: cannot write ${opts.out}: ${describeFsError(e)}`, 1);
  }
  io.stderr.write(`traced model ${model!.name}: ${steps} steps, ${traced.layers.length} neuron layer(s) on ${traced.backend} -> ${opts.out}\n`);
  return 0;
}

/** `h.spike[0]`, ... or `h.spike` for a single unit. */
export function columnNames(layer: string, what: string, units: number): string[] {
  return units === 1 ? [`${layer}.${what}`] : Array.from({ length: units }, (_, i) => `${layer}.${what}[${i}]`);
}

/**
 * One row per step, `units` numbers per row, an optional header (a first row with a cell
 * that is not a number). Blank lines are skipped.
 */
export function readRowsCsv(file: string, units: number): { values: Float32Array; rows: number } | { error: string } {
  const r = readRegularFile(file, 'json');
  if (!r.ok) return { error: r.reason };
  const lines = new TextDecoder().decode(r.bytes).split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = lines[0]?.split(',').map((c) => c.trim()) ?? [];
  const start = first.some((c) => c === '' || !Number.isFinite(Number(c))) ? 1 : 0;
  const rows = lines.length - start;
  if (rows < 1) return { error: 'it has no rows of values' };
  if (rows > MAX_MODEL_TRACE_STEPS) return { error: `it has ${rows} rows, more than the ${MAX_MODEL_TRACE_STEPS} steps a trace takes` };
  const values = new Float32Array(rows * units);
  for (let i = start; i < lines.length; i++) {
    const cells = lines[i]!.split(',');
    if (cells.length !== units) return { error: `row ${i + 1} has ${cells.length} value(s) but the model takes ${units} input unit(s) per step` };
    for (let k = 0; k < units; k++) {
      const cell = cells[k]!.trim();
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) return { error: `row ${i + 1}, column ${k + 1}: \`${cell}\` is not a number` };
      values[(i - start) * units + k] = v;
    }
  }
  return { values, rows };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
}

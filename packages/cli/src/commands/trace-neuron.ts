import path from 'node:path';
import { libraryNeuron, libraryNeuronNames, UNITS } from '@snnc/dsl';
import { builtinAsEquations, closestMatch, hasErrors, neuronStep, simulateNeuron, type EquationNeuron, type NeuronDef } from '@snnc/ir';
import { readRegularFile } from '@snnc/ir/node';
import { describeFsError, printDiagnostics, writeFileAtomic, type Io } from '../io.js';
import { loadAndCompile } from '../source.js';

/** Longest trace: 10 million steps (about 1 GB of CSV for a two-state neuron). */
export const MAX_TRACE_STEPS = 10_000_000;

export interface TraceNeuronOptions {
  neuron: string;
  /** A number (constant input) or a CSV path. */
  input: string;
  duration?: string;
  steps?: number;
  dt?: string;
  out: string;
  plot?: string;
}

/**
 * `snnc trace FILE --neuron NAME --input VALUE|CSV (--duration TIME | --steps N) [--dt TIME]
 * --out CSV [--plot SVG]`: drives one neuron of FILE (an instance, a definition, or a
 * standard-library neuron by name) and writes `t, input, <state...>, spike`, one row per step;
 * row k is the state after step k (t = (k+1) dt), no row for the initial state. Simulated in
 * float64 from the neuron's IR (`simulateNeuron` in @snnc/ir), no tensor library needed.
 */
export async function traceNeuronCommand(file: string, opts: TraceNeuronOptions, io: Io): Promise<number> {
  const loaded = loadAndCompile(file, io.cwd);
  printDiagnostics(io, loaded.diagnostics, (f) => loaded.sources.get(f));
  if (loaded.text === undefined || hasErrors(loaded.diagnostics) || !loaded.result?.ir) return 1;
  const fail = (message: string, code = 2): number => {
    io.stderr.write(`error: ${message}\n`);
    return code;
  };

  const found = findNeuron(loaded.result.ir.neurons, opts.neuron);
  if (!found) {
    const names = [...loaded.result.ir.neurons.map((n) => n.name), ...libraryNeuronNames()];
    const close = closestMatch(opts.neuron, names);
    return fail(`--neuron: ${file} has no neuron \`${opts.neuron}\` and the standard library has none either${close ? ` (did you mean \`${close}\`?)` : ''}; known: ${[...new Set(names)].join(', ')}`);
  }
  const neuron: EquationNeuron = found.kind === 'equations' ? found : builtinAsEquations(found);
  if (neuron.perNeuron) {
    // its values live in a weights file, one per unit of a layer: only a model has them
    const names = neuron.perNeuron.map((p) => `\`${p}\``).join(', ');
    return fail(`--neuron: \`${neuron.name}\` takes ${names} per neuron from a weights file; trace the model that uses it (snnc trace ${file} --input ...)`, 1);
  }

  let dt = neuron.dt;
  if (opts.dt !== undefined) {
    const t = parseTime(opts.dt);
    if (t === undefined) return fail(`--dt: expected a positive time such as 0.1ms or 1e-4s, got \`${opts.dt}\``);
    dt = t;
  }
  const step = neuronStep(neuron, dt);
  if (!step.ok) return fail(`--dt: ${step.reason}`);

  // The input: a constant, or one value per step from a CSV.
  let recorded: number[] | undefined;
  const constant = Number(opts.input);
  if (opts.input.trim() === '' || !Number.isFinite(constant)) {
    const r = readInputCsv(path.resolve(io.cwd, opts.input));
    if ('error' in r) return fail(`--input: ${opts.input}: ${r.error}`, 1);
    recorded = r.values;
  }

  if (opts.steps !== undefined && opts.duration !== undefined) return fail('give either --steps or --duration, not both');
  let steps: number;
  if (opts.steps !== undefined) steps = opts.steps;
  else if (opts.duration !== undefined) {
    const d = parseTime(opts.duration);
    if (d === undefined) return fail(`--duration: expected a positive time such as 1s or 500ms, got \`${opts.duration}\``);
    steps = Math.round(d / dt);
    if (steps < 1) return fail(`--duration: ${opts.duration} is shorter than one step of ${formatSeconds(dt)}`);
  } else if (recorded) steps = recorded.length;
  else return fail('give --steps N or --duration TIME (or a CSV --input, whose rows set the length)');
  if (steps > MAX_TRACE_STEPS) return fail(`the trace would have ${steps} steps; at most ${MAX_TRACE_STEPS} are allowed`);
  if (recorded && recorded.length < steps) return fail(`--input: ${opts.input} has ${recorded.length} value(s) but the trace needs ${steps}`, 1);

  const input = recorded ? recorded.slice(0, steps) : new Array<number>(steps).fill(constant);
  const trace = simulateNeuron(neuron, input, dt);
  const names = neuron.state.map((s) => s.name);
  const lines = [['t', 'input', ...names, 'spike'].join(',')];
  for (let k = 0; k < steps; k++) {
    lines.push([fmt((k + 1) * dt), fmt(input[k]!), ...names.map((n) => fmt(trace.state[n]![k]!)), String(trace.spikes[k])].join(','));
  }
  const outPath = path.resolve(io.cwd, opts.out);
  try {
    writeFileAtomic(outPath, `${lines.join('\n')}\n`);
  } catch (e) {
    return fail(`--out: cannot write ${opts.out}: ${describeFsError(e)}`, 1);
  }
  const spikes = trace.spikes.reduce((s, x) => s + x, 0);
  io.stdout.write(`${neuron.name} (${neuron.definition}, ${neuron.scheme}, dt ${formatSeconds(dt)}): ${steps} steps, ${spikes} spike(s) -> ${opts.out}\n`);

  if (opts.plot !== undefined) {
    const { renderSvg, timeSeriesChart } = await import('@snnc/plot');
    const t = Float64Array.from({ length: steps }, (_, k) => (k + 1) * dt);
    const spikeSeries = Float64Array.from(trace.spikes);
    const spec = timeSeriesChart(
      [
        { title: 'input', yLabel: neuron.input, series: [{ name: neuron.input, x: t, y: input }] },
        ...names.map((n) => ({ title: n, yLabel: n, series: [{ name: n, x: t, y: trace.state[n]! }] })),
        { title: 'spikes', yLabel: 'spike', series: [{ name: 'spike', x: t, y: spikeSeries }] },
      ],
      { title: `${neuron.name} (${neuron.definition})`, height: 120 },
    );
    try {
      writeFileAtomic(path.resolve(io.cwd, opts.plot), await renderSvg(spec));
    } catch (e) {
      return fail(`--plot: cannot write ${opts.plot}: ${describeFsError(e)}`, 1);
    }
  }
  return 0;
}

/** A neuron of the compiled file by name, else a standard-library definition with its defaults. */
function findNeuron(neurons: readonly NeuronDef[], name: string): NeuronDef | undefined {
  return neurons.find((n) => n.name === name) ?? libraryNeuron(name);
}

/** `0.1ms`, `1s`, `250us`, or a bare number of seconds; undefined when not a positive time. */
export function parseTime(text: string): number | undefined {
  const m = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2] ?? '';
  const scale = unit === '' ? 1 : UNITS[unit]?.dimension === 'time' ? UNITS[unit]!.scale : undefined;
  if (scale === undefined || !(value > 0) || !Number.isFinite(value)) return undefined;
  return value * scale;
}

/**
 * One number per row: a single column, or the `input` column of a file with a header (such
 * as an earlier trace). Blank lines are skipped; anything else that is not a number is an error.
 */
export function readInputCsv(file: string): { values: number[] } | { error: string } {
  // bounded like a JSON file snnc reads (64 MB: millions of steps)
  const r = readRegularFile(file, 'json');
  if (!r.ok) return { error: r.reason };
  const rows = new TextDecoder().decode(r.bytes).split(/\r?\n/).filter((l) => l.trim() !== '');
  if (rows.length === 0) return { error: 'it has no rows' };
  let column = 0;
  let start = 0;
  const head = rows[0]!.split(',').map((c) => c.trim());
  if (head.some((c) => c !== '' && !Number.isFinite(Number(c)))) {
    column = head.length === 1 ? 0 : head.indexOf('input');
    if (column < 0) return { error: `its header (${head.join(', ')}) has no \`input\` column` };
    start = 1;
  }
  const values: number[] = [];
  for (let i = start; i < rows.length; i++) {
    const cell = rows[i]!.split(',')[column]?.trim() ?? '';
    const v = Number(cell);
    if (cell === '' || !Number.isFinite(v)) return { error: `row ${i + 1}: \`${cell}\` is not a number` };
    values.push(v);
  }
  return { values };
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
}

function formatSeconds(s: number): string {
  if (s >= 1) return `${fmt(s)}s`;
  if (s >= 1e-3) return `${fmt(s * 1e3)}ms`;
  return `${fmt(s * 1e6)}us`;
}

import path from 'node:path';
import type { Network, Probe } from '@snnc/ir';
import { activityRows } from '@snnc/nef';
import { runNetwork, writeProbesCsv, type RunResult } from '@snnc/nef/node';
import { figureFormatOf, renderFigure, timeSeriesChart, type Panel } from '@snnc/plot';
import { makeDiagnostic, syntheticRange } from '@snnc/ir';
import { printDiagnostics, writeFileAtomic, type Io } from '../io.js';
import type { LoadedSource } from '../source.js';

export interface NetworkRunFlags {
  probes?: string;
  plot?: string;
  time?: number;
  seed?: number;
}

/** Prefix of the probes the CLI adds to record inputs for the figure; never written to CSV. */
const INPUT_TRACE = 'input:';
/** Probes wider than this (spike and voltage probes of whole ensembles) stay out of the figure. */
const MAX_PLOTTED_COLUMNS = 8;

/**
 * `snnc run net.snn` for a NEF network: build, simulate, print each probe's summary (with RMSE
 * against `expect:`), and optionally write a CSV of all probes and a figure of inputs and probes.
 */
export async function runNetworkCommand(network: Network, loaded: LoadedSource, flags: NetworkRunFlags, io: Io): Promise<number> {
  if (flags.plot !== undefined && figureFormatOf(flags.plot) === undefined) {
    const d = makeDiagnostic('SNN9003', syntheticRange('--plot'), { message: `--plot ${flags.plot}: the figure must be a .svg or .png file` });
    printDiagnostics(io, [d], () => undefined);
    return 2;
  }
  const withInputs: Network = flags.plot === undefined ? network : { ...network, probes: [...network.probes, ...inputTraceProbes(network)] };
  const neurons = network.ensembles.reduce((s, e) => s + e.n, 0);
  const seconds = flags.time ?? network.runTime;
  io.stdout.write(
    `network ${network.name}: ${network.ensembles.length} ensemble(s), ${neurons} neurons, ${network.connections.length} connection(s); ` +
      `${fmt(seconds)} s at dt ${fmt(network.dt * 1000)} ms\n`,
  );
  // Say where each ensemble's rate curve (gains, biases, decoders) comes from when it is not a closed form.
  for (const e of network.ensembles) {
    if (e.neuron.kind === 'equations') io.stdout.write(`  ensemble ${e.name}: ${e.neuron.neuron.definition} neurons; rate curve estimated by simulation (no closed form)\n`);
  }
  const result = runNetwork(withInputs, {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.time !== undefined ? { seconds: flags.time } : {}),
  });
  io.stdout.write(
    `seed ${result.seed}${network.seed === null && flags.seed === undefined ? ' (the default: the network sets no seed)' : ''}: build ${fmt(result.buildSeconds)} s (decoders ${fmt(result.solveSeconds)} s), ` +
      `simulation ${fmt(result.simSeconds)} s (${fmt((result.simSeconds / Math.max(1, result.t.length)) * 1e6)} us/step)\n`,
  );
  printSummary(io, result);
  printActivity(io, result);

  const userProbes = result.probes.filter((p) => !p.name.startsWith(INPUT_TRACE));
  if (flags.probes !== undefined) {
    const out = path.resolve(io.cwd, flags.probes);
    writeProbesCsv(out, { t: result.t, probes: userProbes });
    io.stdout.write(`probes written to ${flags.probes}\n`);
  }
  if (flags.plot !== undefined) {
    const format = figureFormatOf(flags.plot)!;
    const figure = await renderFigure(timeSeriesChart(panels(result), { title: `${network.name} (${loaded.file})` }), format);
    writeFileAtomic(path.resolve(io.cwd, flags.plot), figure);
    io.stdout.write(`figure written to ${flags.plot}\n`);
  }
  return 0;
}

function inputTraceProbes(network: Network): Probe[] {
  return network.inputs.map((inp) => ({
    name: `${INPUT_TRACE}${inp.name}`,
    target: { name: inp.name, kind: 'input', slice: null, dims: inp.dims },
    attr: 'output',
    synapse: null,
    expect: null,
  }));
}

function printSummary(io: Io, result: RunResult): void {
  const rows: string[][] = [['probe', 'final', 'mean (last 20%)', 'RMSE vs expect']];
  for (const s of result.summary) {
    if (s.name.startsWith(INPUT_TRACE)) continue;
    const shown = s.columns.length > MAX_PLOTTED_COLUMNS ? s.columns.slice(0, 3) : s.columns;
    for (const c of shown) rows.push([c.column, fmt(c.final), fmt(c.meanLast20), c.rmse === null ? '-' : fmt(c.rmse)]);
    if (shown.length < s.columns.length) rows.push([`... ${s.columns.length - shown.length} more columns of ${s.name}`, '', '', '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout.write(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
}

/** Spike rate per ensemble and the SynOps its spikes trigger, per simulated second (docs/energy.md). */
function printActivity(io: Io, result: RunResult): void {
  if (result.activity.ensembles.length === 0) return;
  const rows = activityRows(result.activity);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) io.stdout.write(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
}

function panels(result: RunResult): Panel[] {
  const t = result.t;
  const inputs = result.probes.filter((p) => p.name.startsWith(INPUT_TRACE));
  const out: Panel[] = [];
  if (inputs.length > 0) {
    out.push({
      title: 'inputs',
      yLabel: 'value',
      series: inputs.flatMap((p) => p.data.map((y, i) => ({ name: p.columns[i]!.slice(INPUT_TRACE.length), x: t, y }))),
    });
  }
  for (const p of result.probes) {
    if (p.name.startsWith(INPUT_TRACE) || p.data.length > MAX_PLOTTED_COLUMNS) continue;
    const series = p.data.map((y, i) => ({ name: p.columns[i]!, x: t, y }));
    for (const [i, y] of (p.expected ?? []).entries()) series.push({ name: `${p.columns[i]!} (expected)`, x: t, y });
    out.push({ title: p.name, yLabel: 'decoded', series });
  }
  return out;
}

/** Four significant digits without trailing zeros: 2, 0.0904, 384.1, 1.2e-5. */
function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

#!/usr/bin/env node
// Trains one experiment of a .snn file through runExperiment (what `snnc run` calls), from
// the built packages (run `npx tsc -b packages/runtime packages/dsl` first).
//
//   node tools/bench/train/run.mjs FILE [--experiment NAME] [--backend auto|wasm|cpu|tensorflow]
//        [--epochs N] [--train-limit N] [--test-limit N] [--batch N] [--lr X] [--seed N]
//        [--runs DIR] [--resume RUN_DIR]
//
// Prints the run's own output, then one JSON line `BENCH {...}` with the summary, the process
// CPU time and the machine load (1-minute load average and /proc/pressure/cpu) at start and end.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { compile } from '@snnc/dsl';
import { formatDiagnostics, isSnncError } from '@snnc/ir';
import { runExperiment } from '@snnc/runtime/node';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    experiment: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string' },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string', default: 'runs' },
    resume: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  console.error('usage: run.mjs FILE [--experiment NAME] [options]');
  process.exit(2);
}
const source = readFileSync(file, 'utf8');
const compiled = compile(source, { file, readFile: (p) => readFileSync(p, 'utf8') });
if (!compiled.ir) {
  console.error(formatDiagnostics(compiled.diagnostics, (f) => compiled.sources.get(f)));
  process.exit(1);
}
const experiment = values.experiment
  ? compiled.ir.experiments.find((e) => e.name === values.experiment)
  : compiled.ir.experiments[0];
if (!experiment) {
  console.error(`no experiment ${values.experiment ?? ''} in ${file}`);
  process.exit(1);
}
const num = (s) => (s === undefined ? undefined : Number(s));
const overrides = Object.fromEntries(
  Object.entries({
    epochs: num(values.epochs),
    trainLimit: num(values['train-limit']),
    testLimit: num(values['test-limit']),
    batch: num(values.batch),
    lr: num(values.lr),
    seed: num(values.seed),
  }).filter(([, v]) => v !== undefined),
);
const psi = () => {
  try {
    return Number(/avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return null;
  }
};
const load0 = { loadavg1: os.loadavg()[0], cpu_psi_some_avg10: psi() };
const abort = new AbortController();
process.on('SIGINT', () => abort.abort());
try {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const summary = await runExperiment({
    experiment,
    specFile: file,
    specSource: source,
    program: compiled.ir,
    runsDir: values.runs,
    backend: values.backend,
    overrides,
    ...(values.resume ? { resume: values.resume } : {}),
    out: process.stdout,
    tty: Boolean(process.stdout.isTTY),
    signal: abort.signal,
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    'BENCH ' +
      JSON.stringify({
        file,
        experiment: experiment.name,
        overrides,
        wall_s: +wall.toFixed(1),
        // process CPU seconds (user + system): on a busy machine, a better guide than wall
        // time to what the run takes on a quiet one (wasm computes on one thread)
        cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(1),
        status: summary.status,
        best: summary.best,
        final: summary.final,
        seconds_per_epoch: summary.secondsPerEpoch,
        images_per_s: summary.imagesPerSecond,
        backend: summary.backend.detail,
        peak_rss_mb: Math.round(summary.peakMemory.rssBytes / 2 ** 20),
        run_dir: summary.runDir,
        load_start: load0,
        load_end: { loadavg1: os.loadavg()[0], cpu_psi_some_avg10: psi() },
      }),
  );
} catch (e) {
  if (isSnncError(e)) {
    console.error(`${file}: error ${e.code}: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    process.exit(1);
  }
  throw e;
}

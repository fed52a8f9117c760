#!/usr/bin/env node
// Seconds per training step (and per test batch) of experiments on one backend, on real
// MNIST batches, without writing run directories: for choosing a network and for
// extrapolating epoch times. Needs the built packages (`npx tsc -b packages/runtime packages/dsl`).
//
//   node tools/bench/train/step-time.mjs FILE [--experiment NAME]... [--backend wasm] [--steps 20] [--warmup 3]
//
// Prints one `STEP {...}` JSON line per experiment: median seconds per training step, images/s,
// the extrapolated seconds for one full epoch (60000 / batch steps + 10000 test images), and the
// machine load (loadavg, /proc/pressure/cpu) around the measurement.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { compile } from '@snnc/dsl';
import { formatDiagnostics } from '@snnc/ir';
import { buildNetwork, takeFirst, Trainer } from '@snnc/runtime';
import { loadBackend, loadData } from '@snnc/runtime/node';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    experiment: { type: 'string', multiple: true },
    backend: { type: 'string', default: 'auto' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
  },
});
const file = positionals[0];
const source = readFileSync(file, 'utf8');
const compiled = compile(source, { file, readFile: (p) => readFileSync(p, 'utf8') });
if (!compiled.ir) {
  console.error(formatDiagnostics(compiled.diagnostics, (f) => compiled.sources.get(f)));
  process.exit(1);
}
const names = values.experiment ?? compiled.ir.experiments.map((e) => e.name);
const backend = await loadBackend(values.backend);
console.log(`backend: ${backend.detail}`);
const data = await loadData({ kind: 'mnist' }, '.');
const steps = Number(values.steps);
const warmup = Number(values.warmup);
const psi = () => {
  try {
    return Number(/avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return null;
  }
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const name of names) {
  const e = compiled.ir.experiments.find((x) => x.name === name);
  if (!e) throw new Error(`no experiment ${name}`);
  const exp = { ...e, epochs: 1 };
  const n = (steps + warmup) * exp.batch;
  const network = buildNetwork(exp.model, { seed: exp.seed });
  const trainer = new Trainer({ experiment: exp, network, train: takeFirst(data.train, n), test: takeFirst(data.test, 10 * exp.batch) });
  const load0 = { loadavg1: os.loadavg()[0], psi: psi() };
  const times = [];
  let last = performance.now();
  let cpu0 = process.cpuUsage();
  const abort = new AbortController();
  await trainer.run({
    signal: abort.signal,
    callbacks: {
      onBatch: (p) => {
        const t = performance.now();
        if (p.phase === 'train') {
          if (p.batch === warmup) cpu0 = process.cpuUsage();
          if (p.batch > warmup) times.push((t - last) / 1000);
          if (p.batch === warmup + steps) abort.abort();
        }
        last = t;
      },
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const t0 = performance.now();
  const ev = await trainer.evaluate(takeFirst(data.test, 10 * exp.batch));
  const testPerImage = (performance.now() - t0) / 1000 / (10 * exp.batch);
  const s = median(times);
  const params = network.trainable.reduce((a, v) => a + v.size, 0);
  console.log(
    'STEP ' +
      JSON.stringify({
        experiment: name,
        params,
        batch: exp.batch,
        steps: exp.model.steps,
        median_s_per_step: +s.toFixed(4),
        min_s_per_step: +Math.min(...times).toFixed(4),
        images_per_s: +(exp.batch / s).toFixed(1),
        cpu_per_wall: +((cpu.user + cpu.system) / 1e6 / times.reduce((a, b) => a + b, 0)).toFixed(2),
        // process CPU seconds per step: close to the quiet-machine step time for this
        // single-threaded backend when other jobs compete for the cores (includes V8's GC threads)
        cpu_s_per_step: +((cpu.user + cpu.system) / 1e6 / times.length).toFixed(4),
        test_images_per_s: +(1 / testPerImage).toFixed(1),
        extrapolated_epoch_s: Math.round(Math.floor(60000 / exp.batch) * s + 10000 * testPerImage),
        acc_after_steps: ev === 'aborted' ? null : ev.accuracy,
        load_start: load0,
        load_end: { loadavg1: os.loadavg()[0], psi: psi() },
      }),
  );
  trainer.dispose();
  network.dispose();
}

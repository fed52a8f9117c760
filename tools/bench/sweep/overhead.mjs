#!/usr/bin/env node
// What a process per sweep point costs: for N tiny points (a 784-16-10 LIF MLP, T=2, 128
// training / 64 test images, 1 epoch) it prints each point's wall time (process start to
// exit, from record.json) against the time the runtime spent in its epoch (metrics.jsonl
// total_time); the difference is process start, tfjs backend start and MNIST loading.
//
//   npx tsc -b packages/experiments packages/dsl
//   node tools/bench/sweep/overhead.mjs [--points 4] [--parallel 1] [--backend wasm]
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compile } from '@snnc/dsl';
import { readMetrics, runSweepLocal } from '@snnc/experiments/node';

const { values: a } = parseArgs({
  options: { points: { type: 'string', default: '4' }, parallel: { type: 'string', default: '1' }, backend: { type: 'string', default: 'wasm' } },
});
const n = Number(a.points);
const seeds = Array.from({ length: n }, (_, i) => i + 1).join(', ');
const spec = `neuron lif = LIF(tau: 2, threshold: 1, reset: 0, surrogate: atan(alpha: 2))
model mlp(input: [1, 28, 28], steps: 2) {
  encode direct
  flatten -> dense(16) -> lif -> dense(10) -> lif
  decode rate
}
experiment base {
  model: mlp  data: mnist  normalize: unit  target: onehot  loss: mse
  optimizer: adam(lr: 0.01)  schedule: constant  batch: 32  epochs: 1  seed: 1
}
sweep seeds from base { seed: [${seeds}] }
`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'snnc-bench-sweep-'));
const file = path.join(tmp, 'bench.snn');
writeFileSync(file, spec);
const ir = compile(spec, { file }).ir;
if (!ir) throw new Error('bench spec does not compile');
const t0 = performance.now();
const res = await runSweepLocal({
  sweep: ir.sweeps[0],
  runsDir: path.join(tmp, 'runs'),
  overrides: { trainLimit: 128, testLimit: 64 },
  backend: a.backend,
  parallel: Number(a.parallel),
  threads: 1,
  baseDir: tmp,
  spec: { file, source: spec },
  snncVersion: 'bench',
  reuse: false,
});
const wall = (performance.now() - t0) / 1000;
console.log(`point         wall s  epoch s  overhead s`);
let over = 0;
for (const p of res.plan.points) {
  const rec = JSON.parse(readFileSync(path.join(p.runDir, 'record.json'), 'utf8'));
  const epoch = readMetrics(p.runDir).reduce((s, m) => s + (m.total_time ?? 0), 0);
  over += rec.wallSeconds - epoch;
  console.log(`${p.id.padEnd(12)} ${rec.wallSeconds.toFixed(2).padStart(7)} ${epoch.toFixed(2).padStart(8)} ${(rec.wallSeconds - epoch).toFixed(2).padStart(11)}`);
}
console.log(`${n} points, parallel ${a.parallel}, backend ${a.backend}: sweep wall ${wall.toFixed(1)} s, mean overhead per point ${(over / n).toFixed(2)} s; ${res.failed} failed`);
rmSync(tmp, { recursive: true, force: true });

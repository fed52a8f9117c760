#!/usr/bin/env node
// Reproduces the report's hyper-parameter studies from examples/report/sweeps.snn at a scale
// that fits a small shared machine, and writes one comparison per study under docs/studies/.
//
//   npx tsc -b packages/cli packages/experiments
//   node tools/bench/sweep/studies.mjs [--train-limit 8000] [--test-limit 2000] [--epochs 1]
//        [--batch N] [--backend auto] [--parallel 2] [--threads 1] [--runs-dir runs/studies]
//        [--out docs/studies] [--only batch_size,learning_rate,...]
//
// `--batch N` overrides the batch size of every study except the batch-size study itself (at
// a small scale, batch 64 makes too few optimizer steps to learn anything to compare).
// Re-running skips finished points; the baseline point shared by the sweeps trains once.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compile } from '@snnc/dsl';
import { findRunDirs, liveTable, loadRuns, runSweepLocal, writeReport } from '@snnc/experiments/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: a } = parseArgs({
  options: {
    'train-limit': { type: 'string', default: '8000' },
    'test-limit': { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '1' },
    batch: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    parallel: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    'runs-dir': { type: 'string', default: 'runs/studies' },
    out: { type: 'string', default: 'docs/studies' },
    only: { type: 'string' },
  },
});

const STUDIES = [
  { name: 'batch_size', sweeps: ['batch_size'], title: 'Batch size' },
  { name: 'learning_rate', sweeps: ['learning_rate'], title: 'Learning rate' },
  { name: 'conv_width', sweeps: ['conv_width'], title: 'Convolution width' },
  { name: 'fc_width', sweeps: ['fc_width'], title: 'Fully connected width' },
  { name: 'target_codes', sweeps: ['codes_onehot', 'codes_bits'], title: 'Target codes' },
];

const file = path.join(root, 'examples/report/sweeps.snn');
const result = compile(readFileSync(file, 'utf8'), {
  file,
  readFile: (p) => {
    try {
      return readFileSync(path.resolve(path.dirname(file), p), 'utf8');
    } catch {
      return undefined;
    }
  },
});
if (!result.ir) {
  console.error(result.diagnostics.map((d) => d.message).join('\n'));
  process.exit(1);
}
const overrides = { epochs: Number(a.epochs), trainLimit: Number(a['train-limit']), testLimit: Number(a['test-limit']) };
const runsDir = path.resolve(root, a['runs-dir']);
const outRoot = path.resolve(root, a.out);
const source = readFileSync(file, 'utf8');
const scale = { ...overrides, batchForOtherStudies: a.batch === undefined ? null : Number(a.batch), backend: a.backend, parallel: Number(a.parallel), threads: Number(a.threads), machine: `${os.cpus().length} x ${os.cpus()[0]?.model}` };
let failed = 0;
for (const study of STUDIES.filter((s) => a.only === undefined || a.only.split(',').includes(s.name))) {
  const dirs = [];
  for (const name of study.sweeps) {
    const sweep = result.ir.sweeps.find((s) => s.name === name);
    if (!sweep) throw new Error(`examples/report/sweeps.snn has no sweep ${name}`);
    const table = liveTable(process.stdout);
    const res = await runSweepLocal({
      sweep,
      runsDir,
      overrides: a.batch !== undefined && study.name !== 'batch_size' ? { ...overrides, batch: Number(a.batch) } : overrides,
      backend: a.backend,
      parallel: Number(a.parallel),
      threads: Number(a.threads),
      baseDir: path.dirname(file),
      spec: { file, source },
      snncVersion: JSON.parse(readFileSync(path.join(root, 'packages/cli/package.json'), 'utf8')).version,
      onUpdate: (all, s) => table.update(all, s),
    });
    table.close(res.points);
    failed += res.failed;
    dirs.push(res.plan.dir);
  }
  const runs = loadRuns(findRunDirs(dirs));
  const batchNote = a.batch !== undefined && study.name !== 'batch_size' ? `, batch ${a.batch}` : '';
  const w = await writeReport(runs, { outDir: path.join(outRoot, study.name), title: `${study.title} (${overrides.epochs} epoch on ${overrides.trainLimit} / ${overrides.testLimit} MNIST images${batchNote}, T=4, ${a.backend})` });
  process.stdout.write(`\n${study.title}\n${w.terminal}\n`);
}
// What training cost, from every point's record (re-runs skip finished points, so the records are the truth).
const records = loadRuns(findRunDirs([runsDir])).map((r) => r.record).filter((r) => r && r.status === 'ok');
const trained = records.filter((r) => !r.reusedFrom);
scale.points = records.length;
scale.trainedPoints = trained.length;
scale.trainedPointSeconds = Math.round(trained.reduce((t, r) => t + (r.wallSeconds ?? 0), 0));
scale.perPoint = Object.fromEntries(records.map((r) => [`${r.point.sweep}/${r.point.pointId}`, r.reusedFrom ? `reused ${path.relative(runsDir, r.reusedFrom)}` : Math.round(r.wallSeconds ?? 0)]));
mkdirSync(outRoot, { recursive: true });
writeFileSync(path.join(outRoot, 'scale.json'), `${JSON.stringify(scale, null, 2)}\n`);
process.exit(failed > 0 ? 1 : 0);

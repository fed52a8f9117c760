// snnc NEF build/simulation speed and memory vs Nengo 4.1 (numbers from the repository's sibling
// ../shared/peers/nengo/RESULTS.md: same machine type, not the same run).
// Usage (after `npx tsc -b packages/nef`):
//   node tools/bench/nef/speed.mjs [--sizes=100,1000,10000] [--repeats=3] [--evalPoints=economy|nengo] [--variants=0]
// Each case runs in a fresh child process so that its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildNetwork, createSimulator } from '../../../packages/nef/dist/index.js';
import { VARIANTS, commChannel, lowpass, median, rmseAfter } from './variants.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));

function runCase(kind, key, evalPoints, seed) {
  const { network, ideal } = kind === 'comm' ? commChannel(Number(key)) : VARIANTS[key]();
  const cpu = (c) => (c.user + c.system) / 1e6;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const built = buildNetwork(network, { seed, evalPoints });
  const buildCpu = cpu(process.cpuUsage(c0));
  const build = (performance.now() - t0) / 1000;
  const sim = createSimulator(built);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  sim.run(network.runTime);
  const simCpu = cpu(process.cpuUsage(c1));
  const simS = (performance.now() - t1) / 1000;
  const t = sim.times();
  const y = sim.probe('out').data[0];
  const target = ideal(t);
  const out = { build, buildCpu, solve: built.solveSeconds, sim: simS, simCpu, usPerStep: (simS / built.steps) * 1e6, rmse: rmseAfter(y, target, t) };
  if (kind === 'comm') out.rmseFiltered = rmseAfter(y, lowpass(lowpass(lowpass(target, 0.005), 0.005), 0.01), t);
  out.evalPoints = built.ensembles.map((e) => e.nEvalPoints);
  out.form = built.ensembles.map((e) => e.solver.form);
  return out;
}

if (args.one) {
  // child: the case once cold (a fresh process: V8 compiles as it goes, like a one-shot CLI
  // run), then five warm-up runs of a small channel (a long-lived process such as the
  // editor's worker), then the measured repeats
  const [kind, key, evalPoints, seed, repeats] = args.one.split(':');
  const cold = runCase(kind, key, evalPoints, Number(seed));
  for (let w = 0; w < 5; w++) runCase('comm', '100', evalPoints, 90 + w);
  const results = [];
  for (let r = 0; r < Number(repeats); r++) results.push(runCase(kind, key, evalPoints, Number(seed) + r));
  process.stdout.write(JSON.stringify({ cold, results, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const child = (spec) => JSON.parse(execFileSync(process.execPath, [self, `--one=${spec}`], { encoding: 'utf8', maxBuffer: 1 << 24 }));
const evalPoints = args.evalPoints ?? 'economy';
const repeats = Number(args.repeats ?? 3);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average (1/5/15 min) at start: ${load()}; ${cpus().length} CPUs`);
const fmt = (x, d = 3) => x.toFixed(d);

// Nengo RESULTS.md: build median [s], sim median [s], µs/step median
const NENGO_VARIANTS = {
  integrator: [0.02, 0.339, 56.5],
  addition_doc: [0.036, 0.467, 93.5],
  addition_07: [0.041, 0.553, 110.6],
  squaring_const: [0.024, 0.319, 63.7],
  squaring_sine: [0.014, 0.248, 49.6],
  multiplication_const: [0.019, 0.188, 37.6],
  multiplication_doc: [0.033, 0.429, 85.8],
};
// build median, solves median, sim median, µs/step, RMSE vs sin, RMSE vs filtered ideal, peak RSS MiB, build CPU median
const NENGO_COMM = {
  100: [0.016, 0.001, 0.049, 49.4, 0.0865, 0.023, null, 0.015],
  1000: [0.201, 0.086, 0.083, 83.1, 0.0847, 0.0105, 168, 0.2],
  10000: [133.1, 91.1, 0.838, 838.3, 0.0845, 0.0077, 7841, 88.9],
};

if (args.variants !== '0') {
  console.log(`\n## Seven variants (median of ${repeats} seeds, evalPoints=${evalPoints})\n`);
  console.log('| variant | snnc build [s] wall (CPU), warm | snnc build [s] cold | Nengo build [s] | snnc sim [s] wall (CPU) | Nengo sim [s] | snnc µs/step | Nengo µs/step | snnc peak RSS [MiB] |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const name of Object.keys(VARIANTS)) {
    const { cold, results, maxRssMiB } = child(`var:${name}:${evalPoints}:0:${repeats}`);
    const ng = NENGO_VARIANTS[name];
    console.log(`| ${name} | ${fmt(median(results.map((r) => r.build)), 4)} (${fmt(median(results.map((r) => r.buildCpu)), 4)}) | ${fmt(cold.build, 4)} | ${ng[0]} | ${fmt(median(results.map((r) => r.sim)))} (${fmt(median(results.map((r) => r.simCpu)))}) | ${ng[1]} | ${fmt(median(results.map((r) => r.usPerStep)), 1)} | ${ng[2]} | ${fmt(maxRssMiB, 0)} |`);
  }
}

const sizes = (args.sizes ?? '100,1000,10000').split(',').map(Number);
console.log(`\n## Communication channel sin(2πt) -> A -> B, 1 s (evalPoints=${evalPoints})\n`);
console.log('| N per ensemble | repeats | eval points | solve form | snnc build [s] warm median (min) [CPU] | cold | of which decoders | Nengo build [s] median [CPU] | snnc sim [s] median (min) [CPU] | snnc µs/step | Nengo µs/step | snnc RMSE vs sin | Nengo | snnc RMSE vs filtered ideal | Nengo | snnc peak RSS [MiB] | Nengo [MiB] |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of sizes) {
  const reps = n >= 10000 ? Math.min(repeats, 2) : repeats;
  const { cold, results, maxRssMiB } = child(`comm:${n}:${evalPoints}:0:${reps}`);
  const ng = NENGO_COMM[n] ?? [];
  const med = (k) => median(results.map((r) => r[k]));
  const min = (k) => Math.min(...results.map((r) => r[k]));
  console.log(
    `| ${n} | ${reps} | ${results[0].evalPoints.join('/')} | ${results[0].form.join('/')} | ${fmt(med('build'))} (${fmt(min('build'))}) [${fmt(med('buildCpu'))}] | ${fmt(cold.build)} | ${fmt(med('solve'))} | ${ng[0] ?? '-'} [${ng[7] ?? '-'}] | ${fmt(med('sim'))} (${fmt(min('sim'))}) [${fmt(med('simCpu'))}] | ${fmt(med('usPerStep'), 1)} | ${ng[3] ?? '-'} | ${fmt(med('rmse'), 4)} | ${ng[4] ?? '-'} | ${fmt(med('rmseFiltered'), 4)} | ${ng[5] ?? '-'} | ${fmt(maxRssMiB, 0)} | ${ng[6] ?? '-'} |`,
  );
}
console.log(`\nload average at end: ${load()}`);

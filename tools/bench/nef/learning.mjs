// The learning examples (examples/nef/learning.snn, nengo_examples.snn) over several seeds:
// RMSE of a probe against its ideal in a window at the start and at the end of the run.
// The measures match tools/bench/nef/nengo_learning.py's, which runs Nengo's own networks.
// Usage (after `npm run build`):
//   node tools/bench/nef/learning.mjs [--seeds=5] [--cases=learn_product,...] [--json=FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../../packages/dsl/dist/index.js';
import { buildNetwork, createSimulator } from '../../../packages/nef/dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seeds = Number(args.seeds ?? 5);
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

function networks(file) {
  const full = join(root, 'examples/nef', file);
  const r = compile(readFileSync(full, 'utf8'), { file: full, readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.ir) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return new Map(r.ir.networks.map((n) => [n.name, n]));
}

/** RMSE of probe column `col` minus `ideal(i)` over from < t <= to. */
function windowRmse(sim, probe, from, to, ideal, col = 0) {
  const t = sim.times();
  const y = sim.probe(probe).data[col];
  let s = 0;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] <= from || t[i] > to) continue;
    s += (y[i] - ideal(i)) ** 2;
    n++;
  }
  return Math.sqrt(s / n);
}

const expected = (sim, probe, col = 0) => {
  const e = sim.probe(probe).expected[col];
  return (i) => e[i];
};
const other = (sim, probe, col = 0) => {
  const d = sim.probe(probe).data[col];
  return (i) => d[i];
};

/** Least-squares slope of the unwrapped angle of (x0, x1) over lo < t <= hi: rad/s. */
function angularVelocity(sim, probe, lo, hi) {
  const t = sim.times();
  const [x0, x1] = sim.probe(probe).data;
  const ts = [];
  const ph = [];
  let last = null;
  let turns = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] <= lo || t[i] > hi) continue;
    let a = Math.atan2(x1[i], x0[i]);
    if (last !== null) {
      while (a + turns - last > Math.PI) turns -= 2 * Math.PI;
      while (a + turns - last < -Math.PI) turns += 2 * Math.PI;
    }
    a += turns;
    last = a;
    ts.push(t[i]);
    ph.push(a);
  }
  const mt = ts.reduce((x, y) => x + y, 0) / ts.length;
  const mp = ph.reduce((x, y) => x + y, 0) / ph.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ts.length; i++) {
    num += (ts[i] - mt) * (ph[i] - mp);
    den += (ts[i] - mt) ** 2;
  }
  return num / den;
}

/** Control input of Nengo's controlled oscillator, per 1 s segment. */
const CONTROL = [1, 0.5, 0, -0.5, -1];

// [file, network, measures: (sim, net) => {name: value}] (the names tools/bench/nef/nengo_learning.py uses)
const CASES = [
  ['learning.snn', 'learn_channel', (s, n) => ({ first: windowRmse(s, 'post', 0, 1, other(s, 'pre')), last: windowRmse(s, 'post', n.runTime - 2, n.runTime, other(s, 'pre')) })],
  ['learning.snn', 'learn_square', (s, n) => ({ first: windowRmse(s, 'a_squared', 0, 1, expected(s, 'a_squared')), last: windowRmse(s, 'a_squared', n.runTime - 5, n.runTime, expected(s, 'a_squared')) })],
  [
    'nengo_examples.snn',
    'learn_communication_channel',
    (s, n) => Object.fromEntries([0, 1].flatMap((d) => [[`first[${d}]`, windowRmse(s, 'post', 0, 1, expected(s, 'post', d), d)], [`last[${d}]`, windowRmse(s, 'post', n.runTime - 5, n.runTime, expected(s, 'post', d), d)]])),
  ],
  [
    'nengo_examples.snn',
    'learn_product',
    (s, n) => ({
      first: windowRmse(s, 'post', 0, 1, expected(s, 'post')),
      last: windowRmse(s, 'post', n.runTime - 5, n.runTime, expected(s, 'post')),
      reference: windowRmse(s, 'product', n.runTime - 5, n.runTime, expected(s, 'product')),
    }),
  ],
  [
    'nengo_examples.snn',
    'controlled_oscillator',
    (s) => {
      // skip each segment's first 0.3 s; the state turns clockwise for w > 0 (d angle/dt = -w speed)
      const errs = CONTROL.flatMap((w, k) => (w === 0 ? [] : [Math.abs(angularVelocity(s, 'oscillator', k + 0.3, k + 1) - -w * 10) / (Math.abs(w) * 10)]));
      return { frequency: windowRmse(s, 'frequency', 0.5, 5, expected(s, 'frequency')), speed_rel_err: errs.reduce((a, b) => a + b, 0) / errs.length };
    },
  ],
];

const stats = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return [m, sd];
};

const only = args.cases ? new Set(args.cases.split(',')) : null;
const rows = [];
for (const [file, name, measure] of CASES) {
  if (only && !only.has(name)) continue;
  const net = networks(file).get(name);
  const per = [];
  const t0 = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const sim = createSimulator(buildNetwork(net, { seed }));
    sim.run(net.runTime);
    per.push(measure(sim, net));
  }
  const secs = (performance.now() - t0) / 1000 / seeds;
  const st = Object.fromEntries(Object.keys(per[0]).map((k) => [k, stats(per.map((r) => r[k]))]));
  rows.push({ network: name, seeds, seconds_per_seed: secs, stats: st });
  console.log(`${name}: ${Object.entries(st).map(([k, [m, sd]]) => `${k} ${m.toFixed(3)} ± ${sd.toFixed(3)}`).join(', ')}  (${secs.toFixed(2)} s per seed, build + run)`);
}
if (args.json) writeFileSync(args.json, `${JSON.stringify(rows, null, 2)}\n`);

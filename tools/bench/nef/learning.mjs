// The learning examples (examples/nef/learning.snn, nengo_examples.snn) over several seeds:
// RMSE of a probe against its ideal in a window at the start and at the end of the run.
// Usage (after `npx tsc -b packages/nef packages/dsl`):
//   node tools/bench/nef/learning.mjs [--seeds=5]
import { readFileSync } from 'node:fs';
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

// [file, network, label, windows: (sim, net) => [first, last]]
const CASES = [
  ['learning.snn', 'learn_channel', 'post - pre, first 1 s / last 2 s', (s, n) => [windowRmse(s, 'post', 0, 1, other(s, 'pre')), windowRmse(s, 'post', n.runTime - 2, n.runTime, other(s, 'pre'))]],
  ['learning.snn', 'learn_square', 'a_squared - stim^2, first 1 s / last 5 s', (s, n) => [windowRmse(s, 'a_squared', 0, 1, expected(s, 'a_squared')), windowRmse(s, 'a_squared', n.runTime - 5, n.runTime, expected(s, 'a_squared'))]],
  ['nengo_examples.snn', 'learn_communication_channel', 'post[0] - ideal, first 1 s / last 5 s', (s, n) => [windowRmse(s, 'post', 0, 1, expected(s, 'post')), windowRmse(s, 'post', n.runTime - 5, n.runTime, expected(s, 'post'))]],
  ['nengo_examples.snn', 'learn_product', 'post - x0 x1, first 1 s / last 5 s', (s, n) => [windowRmse(s, 'post', 0, 1, expected(s, 'post')), windowRmse(s, 'post', n.runTime - 5, n.runTime, expected(s, 'post'))]],
];

const stats = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
};

console.log(`| network | measure | first window, mean ± sd (${seeds} seeds) | last window | build + run [s] |`);
console.log('| --- | --- | --- | --- | --- |');
for (const [file, name, label, measure] of CASES) {
  const net = networks(file).get(name);
  const first = [];
  const last = [];
  const t0 = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const sim = createSimulator(buildNetwork(net, { seed }));
    sim.run(net.runTime);
    const [a, b] = measure(sim, net);
    first.push(a);
    last.push(b);
  }
  console.log(`| ${name} | ${label} | ${stats(first)} | ${stats(last)} | ${((performance.now() - t0) / 1000 / seeds).toFixed(2)} |`);
}

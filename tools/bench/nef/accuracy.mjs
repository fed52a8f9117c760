// snnc NEF accuracy vs Nengo 4.1 on the seven baseline variants, 10 seeds each.
// Usage (after `npx tsc -b packages/nef`): node tools/bench/nef/accuracy.mjs [--seeds=10] [--json=out.json]
// Nengo's numbers are copied from ../shared/peers/nengo/RESULTS.md, beside the repository (same machine type,
// not the same run: Nengo cannot be installed here, see docs/nef.md).
import { writeFileSync } from 'node:fs';
import { buildNetwork, createSimulator } from '../../../packages/nef/dist/index.js';
import { VARIANTS, mean, rmseAfter, sd, steadyError } from './variants.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seeds = Number(args.seeds ?? 10);

// RESULTS.md: RMSE mean ± sd over 10 seeds, steady-state mean error mean ± sd
const NENGO = {
  integrator: { rmse: [0.1825, 0.0127], steady: [0.1691, 0.0261] },
  addition_doc: { rmse: [0.0172, 0.0017], steady: [0.0026, 0.007] },
  addition_07: { rmse: [0.0144, 0.0031], steady: [0.0007, 0.0094] },
  squaring_const: { rmse: [0.0169, 0.0028], steady: [0.0052, 0.007] },
  squaring_sine: { rmse: [0.0349, 0.0045], steady: null },
  multiplication_const: { rmse: [0.025, 0.0043], steady: [0.0009, 0.0203] },
  multiplication_doc: { rmse: [2.4706, 0.0824], steady: [-0.2049, 0.5086] },
};

const rows = [];
let allPass = true;
for (const [name, make] of Object.entries(VARIANTS)) {
  const { network, ideal } = make();
  const r = [];
  const st = [];
  for (let seed = 0; seed < seeds; seed++) {
    const sim = createSimulator(buildNetwork(network, { seed }));
    sim.run(network.runTime);
    const t = sim.times();
    const y = sim.probe('out').data[0];
    const target = ideal(t);
    r.push(rmseAfter(y, target, t));
    st.push(steadyError(y, target));
  }
  const ng = NENGO[name];
  const ratio = mean(r) / ng.rmse[0];
  const pass = ratio <= 1.25;
  allPass &&= pass;
  rows.push({ name, seeds, rmse: [mean(r), sd(r)], steady: Number.isNaN(st[0]) ? null : [mean(st), sd(st)], nengo: ng, ratio, pass, perSeed: r });
}

const f = (x, d = 4) => (x === null ? 'n/a' : `${x[0] >= 0 ? '+' : ''}${x[0].toFixed(d)} ± ${x[1].toFixed(d)}`);
console.log(`| variant | snnc RMSE mean ± sd (${seeds} seeds) | Nengo RMSE mean ± sd | ratio | snnc steady-state error | Nengo steady-state error | within 1.25x |`);
console.log('|---|---|---|---|---|---|---|');
for (const row of rows)
  console.log(`| ${row.name} | ${f(row.rmse)} | ${f(row.nengo.rmse)} | ${row.ratio.toFixed(2)} | ${f(row.steady)} | ${f(row.nengo.steady)} | ${row.pass ? 'yes' : 'NO'} |`);
if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
process.exitCode = allPass ? 0 : 1;

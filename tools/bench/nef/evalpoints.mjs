// Decoding accuracy of the 1-D communication channel against the number of eval points:
// the evidence for the `economy` rule (docs/nef.md). RMSE against the filtered ideal (the
// neural error) and against sin(2 pi t), mean over seeds, plus the decoder-solve time.
// Usage (after `npx tsc -b packages/nef`): node tools/bench/nef/evalpoints.mjs [--n=1000] [--seeds=5] [--rules=economy,nengo,1500]
import { buildNetwork, createSimulator } from '../../../packages/nef/dist/index.js';
import { commChannel, lowpass, mean, rmseAfter, sd } from './variants.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const n = Number(args.n ?? 1000);
const seeds = Number(args.seeds ?? 5);
const rules = (args.rules ?? 'economy,nengo').split(',').map((r) => (/^\d+$/.test(r) ? { count: Number(r) } : r));

console.log(`| N | eval points | seeds | RMSE vs filtered ideal mean ± sd | RMSE vs sin mean | decoder solves [s] mean |`);
console.log('|---|---|---|---|---|---|');
for (const rule of rules) {
  const { network, ideal } = commChannel(n);
  const filt = [];
  const raw = [];
  const solve = [];
  let m = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const built = buildNetwork(network, { seed, evalPoints: rule });
    m = built.ensembles[0].nEvalPoints;
    solve.push(built.solveSeconds);
    const sim = createSimulator(built);
    sim.run(network.runTime);
    const t = sim.times();
    const y = sim.probe('out').data[0];
    const target = ideal(t);
    raw.push(rmseAfter(y, target, t));
    filt.push(rmseAfter(y, lowpass(lowpass(lowpass(target, 0.005), 0.005), 0.01), t));
  }
  const name = typeof rule === 'object' ? `${rule.count}` : `${m} (${rule})`;
  console.log(`| ${n} | ${name} | ${seeds} | ${mean(filt).toFixed(5)} ± ${sd(filt).toFixed(5)} | ${mean(raw).toFixed(5)} | ${mean(solve).toFixed(3)} |`);
}

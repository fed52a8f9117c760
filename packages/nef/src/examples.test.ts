// The example `.snn` networks, compiled by @snnc/dsl (a test-only dependency) and simulated.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '@snnc/dsl';
import type { Network } from '@snnc/ir';
import { buildNetwork } from './build.js';
import { meanOfLast, rmse } from './metrics.js';
import { createSimulator } from './simulator.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/nef');

function networks(file: string): Network[] {
  const full = path.join(examples, file);
  const res = compile(readFileSync(full, 'utf8'), { file: full, readFile: (p) => readFileSync(p, 'utf8') });
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return res.ir!.networks;
}

function runNet(net: Network) {
  const sim = createSimulator(buildNetwork(net));
  sim.run(net.runTime);
  return sim;
}

function probeRmse(sim: ReturnType<typeof runNet>, name: string): number {
  const p = sim.probe(name);
  return rmse(p.data[0]!, p.expected![0]!, sim.times());
}

describe('examples/nef compiled with @snnc/dsl', () => {
  it('adding.snn: 0.5 + 0.2 = 0.7', () => {
    const [net] = networks('adding.snn');
    const sim = runNet(net!);
    const p = sim.probe(sim.probeNames()[0]!);
    expect(Math.abs(meanOfLast(p.data[0]!, 0.2) - 0.7)).toBeLessThan(0.05);
    expect(probeRmse(sim, p.name)).toBeLessThan(0.05);
  });

  it('calculate.snn: 0.2^2 = 0.04 and sin(t)^2', () => {
    const [square, sine] = networks('calculate.snn');
    const sim = runNet(square!);
    const p = sim.probe(sim.probeNames()[0]!);
    expect(Math.abs(meanOfLast(p.data[0]!, 0.5) - 0.04)).toBeLessThan(0.03);
    const s = runNet(sine!);
    const names = s.probeNames();
    expect(probeRmse(s, names[1]!)).toBeLessThan(0.08);
  });

  it('multiply.snn: 0.5 x 0.2 = 0.1, and the documented +-20 example', () => {
    const [mul, doc] = networks('multiply.snn');
    const sim = runNet(mul!);
    const p = sim.probe(sim.probeNames()[0]!);
    expect(Math.abs(meanOfLast(p.data[0]!, 0.5) - 0.1)).toBeLessThan(0.05);
    const d = runNet(doc!);
    // Nengo's RMSE here is 2.47 +- 0.08 over 10 seeds (RESULTS.md); the ideal steps instantly
    expect(probeRmse(d, d.probeNames()[2]!)).toBeLessThan(3.5);
  });

  it('memory.snn: the integrator holds +0.8 between 1 s and 2 s', () => {
    const [net] = networks('memory.snn');
    const sim = runNet(net!);
    const p = sim.probe(sim.probeNames()[0]!);
    const t = sim.times();
    let s = 0;
    let n = 0;
    for (let i = 0; i < t.length; i++) if (t[i]! > 1.2 && t[i]! < 2) (s += p.data[0]![i]!), n++;
    expect(Math.abs(s / n - 0.8)).toBeLessThan(0.15);
  });

  it('oscillator.snn: keeps rotating at about 1 Hz', () => {
    const [net] = networks('oscillator.snn');
    const sim = runNet(net!);
    const x = sim.probe(sim.probeNames()[0]!).data[0]!;
    // swings between +0.2 and -0.2 (hysteresis, so spiking noise near zero is not counted)
    let swings = 0;
    let side = 0;
    let late = 0;
    for (let i = 1000; i < x.length; i++) {
      const now = x[i]! > 0.2 ? 1 : x[i]! < -0.2 ? -1 : 0;
      if (now !== 0 && now !== side) {
        if (side !== 0) swings++;
        side = now;
      }
      if (i >= 4000) late = Math.max(late, Math.abs(x[i]!));
    }
    // 4 s at about 1 Hz: about 8 swings
    expect(swings).toBeGreaterThanOrEqual(6);
    expect(swings).toBeLessThanOrEqual(10);
    expect(late).toBeGreaterThan(0.4);
  });

  it.each(['commchannel.snn', 'controlled_integrator.snn', 'oscillator.snn'])('%s builds and runs', (file) => {
    for (const net of networks(file)) {
      const sim = runNet(net);
      for (const name of sim.probeNames()) {
        const p = sim.probe(name);
        expect(p.data.every((c) => c.length === Math.round(net.runTime / net.dt) && c.every(Number.isFinite))).toBe(true);
      }
    }
  });
});

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, snnc, tempFiles } from './helpers.js';

/** The output layer's threshold is out of reach: it never spikes. */
const SILENT = `neuron lif = LIF(tau: 2.0)
model m(input: [1, 28, 28], steps: 2) {
  flatten -> dense(32) -> lif -> dense(10) -> LIF(threshold: 1000)
}
experiment quiet { model: m  data: mnist  optimizer: adam(lr: 0.01)  batch: 20  epochs: 1  seed: 1 }
`;
const dir = tempFiles({ 'quiet.snn': SILENT });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runOf = (runs: string, exp: string) => {
  const base = path.join(dir, runs, exp);
  return path.join(base, readdirSync(base)[0]!);
};

describe('activity and energy from the command line', () => {
  it('a short run of examples/mnist.snn writes rates, SynOps, MACs and energy = SynOps x 0.9 pJ + MACs x 4.6 pJ; eval --activity tabulates them', async () => {
    const mnist = path.join(repoRoot, 'examples/mnist.snn');
    const r = await snnc(['run', mnist, '--backend', 'wasm', '--workers', '1', '--train-limit', '16', '--test-limit', '8', '--batch', '16', '--runs-dir', 'runs'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^activity: fr n0=\d\.\d{3} n1=\d\.\d{3} n2=\d\.\d{3} n3=\d\.\d{3}; .* SynOps, .* MACs, .* per sample \(horowitz45_fp32; ANN /m);
    const run = runOf('runs', 'mnist');
    const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8')) as { activity: { layers: { name: string; kind: string; firing_rate: number | null; synops: number; macs: number }[]; total: { synops: number; macs: number; energy_j: number }; table: { name: string } } };
    const a = summary.activity;
    expect(a.table.name).toBe('horowitz45_fp32');
    expect(a.layers.filter((l) => l.kind === 'neuron').map((l) => l.name)).toEqual(['neuron_0', 'neuron_1', 'neuron_2', 'neuron_3']);
    for (const l of a.layers.filter((x) => x.kind === 'neuron')) expect(l.firing_rate).toBeGreaterThanOrEqual(0);
    // the first conv sees the direct-encoded image (MACs), the second one spikes (SynOps)
    expect(a.layers.find((l) => l.name === 'conv2d_0')!.macs).toBeGreaterThan(0);
    expect(a.layers.find((l) => l.name === 'conv2d_1')!.macs).toBe(0);
    expect(a.total.energy_j).toBeCloseTo((a.total.synops * 0.9 + a.total.macs * 4.6) * 1e-12, 18);

    const e = await snnc(['eval', mnist, '--checkpoint', path.relative(dir, run), '--backend', 'wasm', '--test-limit', '8', '--activity'], dir);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^layer +kind +neurons +rate +silent +saturated +spikes +SynOps +MACs$/m);
    expect(e.stdout).toMatch(/^neuron_3 +neuron \(lif\) +10 /m);
    expect(e.stdout).toMatch(/^energy .+ = .+ SynOps x 0\.9 pJ \+ .+ MACs x 4\.6 pJ$/m);
  }, 120_000);

  it('warns in the first epoch, of 2 batches, that the output layer stayed silent, at its line in the spec', async () => {
    const r = await snnc(['run', 'quiet.snn', '--backend', 'cpu', '--train-limit', '40', '--test-limit', '20', '--runs-dir', 'quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/quiet\.snn:3:47: warning SNN7250: layer `neuron_1` \(lif, the output layer\) stayed silent over epoch 0, batches 1-1: no spike in 20 sample\(s\)/);
    expect(r.stdout).toContain('hint: put `batchnorm` before the neuron');
    // the warning comes before the epoch's report line
    expect(r.stdout.indexOf('SNN7250')).toBeLessThan(r.stdout.indexOf('epoch=0,'));
  }, 60_000);
});

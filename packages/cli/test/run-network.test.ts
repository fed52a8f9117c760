import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

const net = `network product {
  seed 1
  input a = 0.5
  input b = 0.2
  ensemble ab = LIF(n: 200, dims: 2, radius: 1.5)
  ensemble c = LIF(n: 100)
  connect a -> ab[0]
  connect b -> ab[1]
  connect ab -> c (function: x[0] * x[1])
  probe c (synapse: 10ms, expect: a * b)
  run 1s
}
`;

describe('snnc run (NEF network)', () => {
  it('simulates, prints the RMSE against expect, and writes the CSV and the figure', async () => {
    const dir = tempFiles({ 'p.snn': net });
    const r = await snnc(['run', 'p.snn', '--probes', 'out.csv', '--plot', 'out.svg'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('network product: 2 ensemble(s), 300 neurons');
    const row = r.stdout.split('\n').find((l) => l.trim().startsWith('c '))!;
    const [, , mean, rmse] = row.trim().split(/\s+/).map(Number);
    expect(Math.abs(mean! - 0.1)).toBeLessThan(0.05);
    expect(rmse).toBeLessThan(0.06);
    const csv = readFileSync(path.join(dir, 'out.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('t,c');
    expect(csv.length).toBe(1001);
    const svg = readFileSync(path.join(dir, 'out.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('inputs');
  });

  it('refuses a figure format it cannot write before simulating', async () => {
    const r = await snnc(['run', 'p.snn', '--plot', 'out.pdf'], tempFiles({ 'p.snn': net }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plot out.pdf: the figure must be a .svg or .png file');
    expect(r.stdout).toBe('');
  });

  it('asks which one to run when a file has several', async () => {
    const r = await snnc(['run', 'examples/nef/multiply.snn'], path.resolve(import.meta.dirname, '../../..'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('choose one with --experiment or --network');
    expect(r.stderr).toContain('networks: multiply, multiplication');
  });

  it('names an unknown network', async () => {
    const r = await snnc(['run', 'p.snn', '--network', 'prodcut'], tempFiles({ 'p.snn': net }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no network `prodcut`');
  });
});

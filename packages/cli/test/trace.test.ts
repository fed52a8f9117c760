import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

/**
 * An independent forward-Euler Izhikevich (2003) reference, written from the paper's equations:
 * v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u) (ms), fire at v >= 30: v = c, u += d;
 * v(0) = -65, u(0) = b v(0). Returns the spike count.
 */
function izhikevichSpikes(a: number, b: number, c: number, d: number, input: number, ms: number, dtMs: number): number {
  let v = -65;
  let u = b * v;
  let spikes = 0;
  const steps = Math.round(ms / dtMs);
  for (let k = 0; k < steps; k++) {
    const dv = 0.04 * v * v + 5 * v + 140 - u + input;
    const du = a * (b * v - u);
    v += dtMs * dv;
    u += dtMs * du;
    if (v >= 30) {
      v = c;
      u += d;
      spikes++;
    }
  }
  return spikes;
}

function readTrace(file: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

const NEURONS = `neuron rs = Izhikevich(a: 0.02, b: 0.2, c: -65, d: 8)
neuron ch = Izhikevich(a: 0.02, b: 0.2, c: -50, d: 2)
neuron fs = Izhikevich(a: 0.1, b: 0.2, c: -65, d: 2)
neuron lif = LIF(tau: 2.0, threshold: 1.0, reset: 0.0)
`;

describe('snnc trace --neuron', () => {
  it.each([
    ['rs', 0.02, 0.2, -65, 8],
    ['ch', 0.02, 0.2, -50, 2],
    ['fs', 0.1, 0.2, -65, 2],
  ])('Izhikevich %s under input 10 for 1 s at 0.1 ms spikes as the forward-Euler reference', async (name, a, b, c, d) => {
    const dir = tempFiles({ 'n.snn': NEURONS });
    const r = await snnc(['trace', 'n.snn', '--neuron', name, '--input', '10', '--duration', '1s', '--dt', '0.1ms', '--out', 'out.csv'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { header, rows } = readTrace(path.join(dir, 'out.csv'));
    expect(header).toEqual(['t', 'input', 'v', 'u', 'spike']);
    expect(rows).toHaveLength(10000);
    expect(rows[0]![0]).toBeCloseTo(1e-4, 12); // row k is the state after step k
    const spikes = rows.reduce((s, row) => s + row[4]!, 0);
    const expected = izhikevichSpikes(a, b, c, d, 10, 1000, 0.1);
    expect(expected).toBeGreaterThan(5);
    expect(spikes).toBe(expected);
  });

  it('LIF(tau 2, threshold 1, reset 0) under a constant 1.5 spikes on every second step', async () => {
    const dir = tempFiles({ 'n.snn': NEURONS });
    const r = await snnc(['trace', 'n.snn', '--neuron', 'lif', '--input', '1.5', '--steps', '8', '--out', 'lif.csv', '--plot', 'lif.svg'], dir);
    expect(r.code).toBe(0);
    const { rows } = readTrace(path.join(dir, 'lif.csv'));
    expect(rows.map((row) => row[3])).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(rows.map((row) => row[2])).toEqual([0.75, 0, 0.75, 0, 0.75, 0, 0.75, 0]);
    expect(readFileSync(path.join(dir, 'lif.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('reads a recorded input from CSV and traces a library neuron by name', async () => {
    const dir = tempFiles({ 'n.snn': NEURONS });
    writeFileSync(path.join(dir, 'in.csv'), 'input\n0.5\n0.5\n2\n0\n');
    const r = await snnc(['trace', 'n.snn', '--neuron', 'IF', '--input', 'in.csv', '--out', 'if.csv'], dir);
    expect(r.code).toBe(0);
    expect(readTrace(path.join(dir, 'if.csv')).rows.map((row) => row[3])).toEqual([0, 1, 1, 0]);
  });

  it('names the flag on mistakes and exits 2, never with a stack trace', async () => {
    const dir = tempFiles({ 'n.snn': NEURONS });
    const unknown = await snnc(['trace', 'n.snn', '--neuron', 'Izhikevch', '--input', '1', '--steps', '3', '--out', 'x.csv'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--neuron: .*did you mean `Izhikevich`/);
    const dt = await snnc(['trace', 'n.snn', '--neuron', 'rs', '--input', '1', '--steps', '3', '--dt', '5 parsecs', '--out', 'x.csv'], dir);
    expect(dt.code).toBe(2);
    expect(dt.stderr).toMatch(/^error: --dt: expected a positive time/);
    const both = await snnc(['trace', 'n.snn', '--neuron', 'rs', '--input', '1', '--steps', '3', '--duration', '1s', '--out', 'x.csv'], dir);
    expect(both.code).toBe(2);
    const missing = await snnc(['trace', 'n.snn', '--neuron', 'rs', '--input', 'nope.csv', '--steps', '3', '--out', 'x.csv'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--input: nope.csv: no such file/);
  });
});

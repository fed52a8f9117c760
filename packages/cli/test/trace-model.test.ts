import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

/**
 * A model without learned weights, so every value can be worked out by hand: an IF layer `h`
 * on half the input, and an LIF layer reading h's spikes one step late, doubled.
 */
const TINY = `model tiny(input: [2], steps: 4) {
  h = scale(0.5) -> IF(threshold: 1.0)
  h -> delay(1) -> scale(2) -> LIF(tau: 2.0, threshold: 0.5)
}
`;

function readCsv(file: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

describe('snnc trace --model', () => {
  it('writes spikes and membranes that match a hand computation', async () => {
    const dir = tempFiles({ 'm.snn': TINY, 'in.csv': 'a,b\n1,0.4\n1,0.4\n1,0.4\n0,2.4\n' });
    const r = await snnc(['trace', 'm.snn', '--input', 'in.csv', '--state', '--out', 'out.csv', '--backend', 'cpu'], dir);
    expect(r.stderr).toContain('traced model tiny: 4 steps');
    expect(r.code).toBe(0);
    const { header, rows } = readCsv(path.join(dir, 'out.csv'));
    expect(header).toEqual(['step', 'h.spike[0]', 'h.spike[1]', 'h.v[0]', 'h.v[1]', 'neuron_1.spike[0]', 'neuron_1.spike[1]', 'neuron_1.v[0]', 'neuron_1.v[1]']);
    // h (IF, threshold 1, hard reset to 0) on X = x / 2: unit 0 sees 0.5, 0.5, 0.5, 0 and
    // fires at step 1 (H = 1.0); unit 1 sees 0.2, 0.2, 0.2, 1.2 and fires at step 3 (H = 1.8).
    // neuron_1 (LIF tau 2: H = V + (X - V) / 2, threshold 0.5) sees 2 h[t-1]: 2 at step 2 only.
    const want = [
      [0, 0, 0, 0.5, 0.2, 0, 0, 0, 0],
      [1, 1, 0, 1.0, 0.4, 0, 0, 0, 0],
      [2, 0, 0, 0.5, 0.6, 1, 0, 1, 0],
      [3, 0, 1, 0.5, 1.8, 0, 0, 0, 0],
    ];
    rows.forEach((row, t) => row.forEach((v, k) => expect(v, `step ${t}, ${header[k]}`).toBeCloseTo(want[t]![k]!, 5)));
  });

  it('labels rows with time, and names a one-unit layer without an index', async () => {
    const dir = tempFiles({ 'm.snn': 'model one(input: [1], steps: 2) {\n  s = IF(threshold: 1.0)\n}\n', 'in.csv': '0.6\n0.6\n0.6\n' });
    const r = await snnc(['trace', 'm.snn', '--model', 'one', '--input', 'in.csv', '--dt', '1ms', '--out', 'o.csv', '--backend', 'cpu'], dir);
    expect(r.code).toBe(0);
    const { header, rows } = readCsv(path.join(dir, 'o.csv'));
    expect(header).toEqual(['t', 's.spike']);
    // T is the number of rows (3), not the model's 2.
    expect(rows).toEqual([
      [0.001, 0],
      [0.002, 1],
      [0.003, 0],
    ]);
  });

  it('names the flag or the file on mistakes', async () => {
    const dir = tempFiles({ 'm.snn': TINY, 'bad.csv': '1,2,3\n', 'good.csv': '1,2\n', 'two.snn': `${TINY}\n${TINY.replace('tiny', 'other')}` });
    const wide = await snnc(['trace', 'm.snn', '--input', 'bad.csv', '--out', 'o.csv', '--backend', 'cpu'], dir);
    expect(wide.code).toBe(1);
    expect(wide.stderr).toContain('--input: bad.csv: row 1 has 3 value(s) but the model takes 2 input unit(s) per step');
    const which = await snnc(['trace', 'two.snn', '--input', 'bad.csv', '--out', 'o.csv'], dir);
    expect(which.code).toBe(2);
    expect(which.stderr).toContain('defines 2 models (tiny, other); choose one with --model');
    const typo = await snnc(['trace', 'm.snn', '--model', 'tiy', '--input', 'bad.csv', '--out', 'o.csv'], dir);
    expect(typo.stderr).toContain('did you mean `tiny`?');
    const both = await snnc(['trace', 'm.snn', '--model', 'tiny', '--neuron', 'IF', '--input', 'bad.csv', '--out', 'o.csv'], dir);
    expect(both.code).toBe(2);
    const ckpt = await snnc(['trace', 'm.snn', '--input', 'good.csv', '--checkpoint', 'nowhere', '--out', 'o.csv', '--backend', 'cpu'], dir);
    expect(ckpt.code).toBe(1);
    expect(ckpt.stderr).toMatch(/SNN7007.*nowhere/);
  });
});

import { describe, expect, it } from 'vitest';
import { snnc, tempFiles } from './helpers.js';

const NET = (seed: string) => `network n {\n  input a = 0.5\n  ensemble e1 = LIF(n: 20)\n  connect a -> e1\n  probe e1\n${seed}  run 20ms\n}\n`;

describe('the seed of a network run', () => {
  it('is 0 when the network sets none, and the output says it is the default', async () => {
    const dir = tempFiles({ 'a.snn': NET(''), 'b.snn': NET('  seed 0\n') });
    const a = await snnc(['run', 'a.snn'], dir);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^seed 0 \(the default: the network sets no seed\): build/m);
    const b = await snnc(['run', 'b.snn'], dir);
    expect(b.stdout).toMatch(/^seed 0: build/m);
    // the same seed, so the same numbers
    const probeLine = (s: string) => s.split('\n').find((l) => /^\s+e1\s+-?\d/.test(l));
    expect(probeLine(a.stdout)).toBeDefined();
    expect(probeLine(a.stdout)).toBe(probeLine(b.stdout));
    const c = await snnc(['run', 'a.snn', '--seed', '5'], dir);
    expect(c.stdout).toMatch(/^seed 5: build/m);
  });
});

import { describe, expect, it } from 'vitest';
import { validateIR } from '@snnc/ir';
import { compile } from '@snnc/dsl';
import { exampleFiles, readRepoFile } from './examples.js';

/**
 * The compiler and the IR validator agree (the lower fixtures are checked in fixtures.test.ts): whatever the compiler lowers without errors
 * validates without problems (the validator's checks are the compiler's, for IR from elsewhere),
 * and a value the compiler rejects at a boundary the validator rejects too.
 */
describe('lowered IR passes validateIR', () => {
  const files = [...exampleFiles(), 'examples/mnist.snn'];
  for (const file of files) {
    it(file, () => {
      const r = compile(readRepoFile(file)!, { file, readFile: readRepoFile });
      if (!r.ir) return expect(r.diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(0);
      expect(validateIR(r.ir).map((e) => `${e.code} ${e.message}`)).toEqual([]);
    });
  }

  it('agrees with the compiler at the max_rates limit (max_rates below 1 / tau_ref)', () => {
    // tau_ref 3 ms: the limit 333.333... Hz is printed the same way by both.
    const src = (top: string) => `network n {\n  ensemble a = LIF(n: 10, max_rates: [100Hz, ${top}], tau_ref: 3ms)\n  run 0.1s\n}\n`;
    const at = compile(src('1/0.003'), { file: 'x.snn' });
    expect(at.diagnostics.map((d) => d.code)).toEqual(['SNN3002']);
    const below = compile(src('333Hz'), { file: 'x.snn' });
    expect(validateIR(below.ir!)).toEqual([]);
    const forced = structuredClone(below.ir!);
    forced.networks[0]!.ensembles[0]!.maxRates = [100, 1 / 0.003];
    expect(validateIR(forced).map((e) => e.message)).toEqual([at.diagnostics[0]!.message]);
  });
});

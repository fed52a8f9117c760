import { describe, expect, test } from 'vitest';
import { compile } from '@snnc/dsl';
import { exprText } from './expr-text.js';

function roundTrip(fn: string): string {
  const r = compile(`network n {\n  input a = 0.5\n  ensemble src = LIF(n: 10, dims: 3)\n  connect src -> a2 (function: ${fn})\n  ensemble a2 = LIF(n: 10)\n  run 1s\n}\n`, { file: 'x.snn' });
  const c = r.ir?.networks[0]?.connections[0];
  if (!c?.function) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return exprText(c.function[0]!);
}

describe('exprText', () => {
  test.each([
    ['x[0] * x[1]', 'x[0] * x[1]'],
    ['(x[0] + x[1]) * x[2]', '(x[0] + x[1]) * x[2]'],
    ['x[0] - (x[1] - x[2])', 'x[0] - (x[1] - x[2])'],
    ['x[0] - x[1] - x[2]', 'x[0] - x[1] - x[2]'],
    ['x[0] ^ 2', 'x[0] ^ 2'],
    ['sin(2 * pi * x[0])', 'sin(2 * pi * x[0])'],
    ['max(x[0], 0.5)', 'max(x[0], 0.5)'],
  ])('%s prints as %s', (src, out) => {
    expect(roundTrip(src)).toBe(out);
  });
});

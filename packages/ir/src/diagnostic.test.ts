import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, diagnosticMessage } from './codes.js';
import { formatDiagnostic, makeDiagnostic } from './diagnostic.js';
import { LineMap } from './source.js';
import { didYouMean, editDistance } from './suggest.js';

describe('diagnostics', () => {
  it('formats file:line:col, the source line and a caret underline', () => {
    const text = 'model m(input: [784], steps: 4) {\n  dense(64) -> lfi\n}\n';
    const start = text.indexOf('lfi');
    const range = new LineMap(text).range('m.snn', start, start + 3);
    const d = makeDiagnostic('SNN2001', range, { what: 'layer', name: 'lfi' }, didYouMean('lfi', ['lif', 'dense']));
    expect(formatDiagnostic(d, text)).toBe(
      [
        'm.snn:2:16: error SNN2001: unknown layer `lfi`',
        '  |',
        '2 |   dense(64) -> lfi',
        '  |                ^^^',
        '  hint: did you mean `lif`?',
      ].join('\n'),
    );
  });

  it('fills every template hole of every code when given the names', () => {
    for (const [code, entry] of Object.entries(DIAGNOSTIC_CODES)) {
      const holes = [...entry.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const args = Object.fromEntries(holes.map((h) => [h, 'X']));
      expect(diagnosticMessage(code as keyof typeof DIAGNOSTIC_CODES, args), code).not.toMatch(/\{\w+\}/);
    }
  });

  it('maps offsets to 1-based lines and columns', () => {
    const m = new LineMap('ab\ncd\n');
    expect(m.position(0)).toEqual({ line: 1, column: 1 });
    expect(m.position(3)).toEqual({ line: 2, column: 1 });
    expect(m.position(4)).toEqual({ line: 2, column: 2 });
    expect(m.lineText(2)).toBe('cd');
  });

  it('suggests close names only', () => {
    expect(editDistance('lfi', 'lif')).toBe(1);
    expect(didYouMean('desne', ['dense', 'flatten'])).toBe('did you mean `dense`?');
    expect(didYouMean('zzzz', ['dense'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { codeFrame, escapeControls, formatDiagnostic, makeDiagnostic } from './diagnostic.js';
import { LineMap } from './source.js';

/** Source text is untrusted: what a code frame prints must not drive the terminal or flood it. */
describe('code frames of hostile text', () => {
  it('prints control characters and escape sequences escaped, with the caret still under the range', () => {
    const text = 'neuron \u001b[2J\u001b]0;pwned\u0007x = LIF(tau: 2.0)\n';
    const at = text.indexOf('x =');
    const d = makeDiagnostic('SNN1001', new LineMap(text).range('a.snn', at, at + 1), { text: '`\u001b`' });
    const out = formatDiagnostic(d, text);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const [head, , line, caret] = out.split('\n');
    expect(head).toBe('a.snn:1:22: error SNN1001: unexpected character `\\x1b`');
    expect(line).toBe('1 | neuron \\x1b[2J\\x1b]0;pwned\\x07x = LIF(tau: 2.0)');
    expect(line!.indexOf('x =')).toBe(caret!.indexOf('^'));
  });

  it('escapes bidi overrides (Trojan Source) and names files with controls safely', () => {
    expect(escapeControls('a\u202eb')).toBe('a\\u{202e}b');
    expect(escapeControls('evil\u001b[31m.snn')).toBe('evil\\x1b[31m.snn');
  });

  it('cuts a very long line to a window around the range', () => {
    const text = `${'a'.repeat(500_000)} bad ${'b'.repeat(500_000)}`;
    const f = codeFrame(text, 500_002, 500_005);
    expect(f.text.length).toBeLessThanOrEqual(162);
    expect(f.text.startsWith('…')).toBe(true);
    expect(f.text.endsWith('…')).toBe(true);
    expect(f.text.slice(f.caret, f.caret + f.width)).toBe('bad');
  });

  it('keeps a short line whole', () => {
    expect(codeFrame('dense(64) -> lfi', 14, 17)).toEqual({ text: 'dense(64) -> lfi', caret: 13, width: 3 });
  });
});

describe('line breaks and byte order marks', () => {
  it('counts lone CR line endings as line breaks', () => {
    const m = new LineMap('ab\rcd\r\nef\n');
    expect(m.position(3)).toEqual({ line: 2, column: 1 });
    expect(m.position(7)).toEqual({ line: 3, column: 1 });
    expect(m.lineText(1)).toBe('ab');
    expect(m.lineText(2)).toBe('cd');
    expect(m.lineCount).toBe(4);
  });

  it('does not count a byte order mark as a column', () => {
    const m = new LineMap('\uFEFFneuron x');
    expect(m.position(8)).toEqual({ line: 1, column: 8 });
  });
});

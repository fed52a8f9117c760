import { describe, expect, it } from 'vitest';
import { format } from './format.js';

const fmt = (text: string) => format(text, { file: 'a.snn' }).text!;

describe('trailing comments', () => {
  it('keeps the column an author aligned a trailing comment at', () => {
    const text = 'model m(input: [784], steps: 4) {\n  encode direct                    // the image at every step\n  dense(10) -> LIF\n}\n';
    expect(fmt(text)).toBe(text);
  });

  it('aligns the trailing comments of consecutive lines in a block, as gofmt does', () => {
    const text = 'network n {\n  input a = 0.5 // first\n  ensemble ens = LIF(n: 100) // second\n  run 1s\n}\n';
    expect(fmt(text)).toBe('network n {\n  input a = 0.5               // first\n  ensemble ens = LIF(n: 100)  // second\n  run 1s\n}\n');
  });

  it('moves a comment right when the code before it grows, and never closer than two spaces', () => {
    expect(fmt('neuron lif = LIF( tau:2.0 )// x\n')).toBe('neuron lif = LIF(tau: 2.0)  // x\n');
  });

  it('is stable: formatting the output again changes nothing', () => {
    const text = 'model m(input: [784], steps: 4) {\n  encode direct // a\n  dense(10) -> LIF    // b\n\n  decode count // c\n}\n';
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    expect(once).toBe('model m(input: [784], steps: 4) {\n  encode direct       // a\n  dense(10) -> LIF    // b\n\n  decode count  // c\n}\n');
  });
});

import { describe, expect, it } from 'vitest';
import { format } from './format.js';
import { compileText } from './test-util.js';

function fmt(text: string): string {
  const r = format(text, { file: 'f.snn' });
  expect(r.text, JSON.stringify(r.diagnostics)).toBeDefined();
  return r.text!;
}

function stripRanges(v: unknown): string {
  return JSON.stringify(v, (k, x: unknown) => (k === 'range' ? undefined : x));
}

const MESSY = `/* header
   block */
use   "lib.snn"   // trailing on use


neuron lif=LIF( tau:2 ,threshold : 1.0,)
model m( input:[784] , steps:4 ){ // on the header
  // before the chain
  dense( 10 )->lif   // after the chain

  decode   rate
  // at the end of the body
}
experiment e{model:m batch:32,seed:1}
experiment f from e { batch: 8 }   // one field stays on one line
network n { input a=-(1+2)*3 ^ 2
  ensemble b=LIF(n:10) connect a->b( synapse :none ) probe p=b.spikes run 1s
}
// the end
`;

describe('format', () => {
  it('prints the canonical layout', () => {
    expect(fmt(MESSY)).toBe(`/* header
   block */
use "lib.snn"  // trailing on use

neuron lif = LIF(tau: 2, threshold: 1.0)
model m(input: [784], steps: 4) {  // on the header
  // before the chain
  dense(10) -> lif  // after the chain

  decode rate
  // at the end of the body
}
experiment e {
  model: m
  batch: 32
  seed: 1
}
experiment f from e { batch: 8 }   // one field stays on one line
network n {
  input a = -(1 + 2) * 3 ^ 2
  ensemble b = LIF(n: 10)
  connect a -> b (synapse: none)
  probe p = b.spikes
  run 1s
}
// the end
`);
  });

  it('is idempotent and keeps every comment', () => {
    const once = fmt(MESSY);
    expect(fmt(once)).toBe(once);
    const comments = MESSY.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g)!;
    for (const c of comments) expect(once).toContain(c.trim());
  });

  it('moves a comment from inside an item to the line before it', () => {
    const once = fmt('model m(input: [1], steps: 1) {\n  dense(10, // why ten\n    bias: false) -> LIF\n}\n');
    expect(once).toBe('model m(input: [1], steps: 1) {\n  // why ten\n  dense(10, bias: false) -> LIF\n}\n');
    expect(fmt(once)).toBe(once);
  });

  it('compiles to the same IR after formatting', () => {
    const src = 'neuron lif=LIF(tau:2)\nmodel m(input:[1,28,28],steps:4,c:8){conv2d(c/2,kernel:3,padding:same)->lif->maxpool(2)->flatten->dense(10)->lif}\nexperiment e{model:m(c:16) optimizer:sgd(lr:0.1)}\nsweep s from e{model.c:[4,8]}';
    const a = compileText(src);
    const b = compileText(fmt(src));
    expect(a.diagnostics).toEqual([]);
    expect(stripRanges(b.ir)).toBe(stripRanges(a.ir));
  });

  it('keeps parentheses and number spellings as written', () => {
    expect(fmt('neuron n = LIF(tau: (2.50), threshold: 1e0)')).toBe('neuron n = LIF(tau: (2.50), threshold: 1e0)\n');
  });

  it('gives no text for a file with syntax errors', () => {
    const r = format('model m {', { file: 'f.snn' });
    expect(r.text).toBeUndefined();
    expect(r.diagnostics[0]!.code).toBe('SNN1002');
  });

  it('formats an empty file to an empty line', () => {
    expect(fmt('')).toBe('\n');
    expect(fmt('// only\n')).toBe('// only\n');
  });
});

describe('long matrices', () => {
  it('print one row per line, re-parse to the same IR and format again unchanged', () => {
    const row = (r: number) => `[${Array.from({ length: 12 }, (_, c) => (r === c ? '1.5' : '0')).join(', ')}]`;
    const src = `network n {\n  ensemble a = LIF(n: 50, dims: 12)\n  ensemble b = LIF(n: 50, dims: 12)\n  connect a -> b (transform: [${Array.from({ length: 12 }, (_, r) => row(r)).join(', ')}])\n  run 1s\n}\n`;
    const out = fmt(src);
    const lines = out.split('\n');
    expect(lines.filter((l) => /^ {4}\[/.test(l))).toHaveLength(12);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(60);
    expect(lines).toContain('  connect a -> b (transform: [');
    expect(lines).toContain('  ])');
    expect(fmt(out)).toBe(out);
    expect(stripRanges(compileText(out).ir)).toBe(stripRanges(compileText(src).ir));
    // short matrices stay on one line
    expect(fmt('network n {\n  ensemble a = LIF(n: 5, dims: 2)\n  connect a -> a (transform: [[0, 1], [-1, 0]])\n  run 1s\n}\n')).toContain('(transform: [[0, 1], [-1, 0]])');
  });
});

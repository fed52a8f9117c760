import { describe, expect, it } from 'vitest';
import { LineMap, Random } from '@snnc/ir';
import { compile, format, tokenize } from '@snnc/dsl';
import { exampleFiles, readRepoFile } from './examples.js';

/**
 * Mutation fuzzing: every example file, mangled many ways, must compile without throwing and
 * without an internal-error diagnostic, and every diagnostic must point inside its file with
 * consistent line/column numbers. Seeded, so a failure reproduces; the failing case's seed and
 * mutated text are in the assertion message.
 */
const SEED = 20_261_129;
const TOTAL = 10_000;
const JUNK = ['(', ')', '{', '}', '[', ']', ',', ':', '->', '-', '*', '^', '.', '=', '"', '/*', '//', '\n', ' ', '0', '1e9', '5ms', 'x', 'model', 'network', 'connect', 'probe', 'LIF', 'none', '@', '\u0000', 'é'];

type Mutation = (text: string, rng: Random) => string;

function tokensOf(text: string) {
  return tokenize(text);
}

const mutations: Record<string, Mutation> = {
  deleteToken: (text, rng) => {
    const toks = tokensOf(text);
    const t = toks[rng.int(toks.length)];
    return t ? text.slice(0, t.start) + text.slice(t.end) : text;
  },
  duplicateToken: (text, rng) => {
    const toks = tokensOf(text);
    const t = toks[rng.int(toks.length)];
    return t ? text.slice(0, t.end) + ' ' + t.text + text.slice(t.end) : text;
  },
  swapTokens: (text, rng) => {
    const toks = tokensOf(text);
    if (toks.length < 2) return text;
    const i = rng.int(toks.length - 1);
    const a = toks[i]!;
    const b = toks[i + 1]!;
    return text.slice(0, a.start) + b.text + text.slice(a.end, b.start) + a.text + text.slice(b.end);
  },
  replaceToken: (text, rng) => {
    const toks = tokensOf(text);
    const t = toks[rng.int(toks.length)];
    return t ? text.slice(0, t.start) + JUNK[rng.int(JUNK.length)]! + text.slice(t.end) : text;
  },
  truncate: (text, rng) => text.slice(0, rng.int(text.length + 1)),
  randomBytes: (text, rng) => {
    let s = text;
    const n = 1 + rng.int(4);
    for (let k = 0; k < n; k++) {
      const at = rng.int(s.length + 1);
      const ch = String.fromCharCode(rng.int(128));
      s = s.slice(0, at) + ch + s.slice(at);
    }
    return s;
  },
  deleteLine: (text, rng) => {
    const lines = text.split('\n');
    lines.splice(rng.int(lines.length), 1);
    return lines.join('\n');
  },
};

function checkResult(text: string, file: string, context: string): void {
  const r = compile(text, { file, readFile: readRepoFile });
  for (const d of r.diagnostics) {
    expect(d.code, context).not.toBe('SNN1009');
    const src = r.sources.get(d.range.file);
    expect(src, `${context}: diagnostic in unknown file ${d.range.file}`).toBeDefined();
    const { start, end } = d.range;
    expect(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= src!.length, `${context}: range ${start}-${end} outside ${src!.length}`).toBe(true);
    const pos = new LineMap(src!).position(start);
    expect([d.range.line, d.range.column], context).toEqual([pos.line, pos.column]);
  }
  if ((r.ir === undefined) === (r.diagnostics.some((d) => d.severity === 'error') === false)) throw new Error(`${context}: ir present iff no errors`);
}

describe('fuzz', () => {
  const files = exampleFiles();
  const perFile = Math.ceil(TOTAL / files.length);
  const names = Object.keys(mutations);

  it('covers at least the promised number of cases', () => {
    expect(perFile * files.length).toBeGreaterThanOrEqual(TOTAL);
  });

  // One test per example keeps each well inside the per-test timeout on a busy machine.
  files.forEach((file, f) => {
    it(`survives ${perFile} mutations of ${file}`, { timeout: 180_000 }, () => {
      const original = readRepoFile(file)!;
      const rng = new Random(SEED + f);
      for (let i = 0; i < perFile; i++) {
        const caseSeed = rng.nextUint32();
        const local = new Random(caseSeed);
        let text = original;
        const applied: string[] = [];
        const rounds = 1 + local.int(3);
        for (let k = 0; k < rounds; k++) {
          const name = names[local.int(names.length)]!;
          applied.push(name);
          text = mutations[name]!(text, local);
        }
        const context = `case ${i} (seed ${caseSeed}, ${file}, ${applied.join('+')}): ${JSON.stringify(text.slice(0, 2000))}`;
        checkResult(text, file, context);
        if (i % 10 === 0) {
          const fmt = format(text, { file });
          if (fmt.text !== undefined) expect(format(fmt.text, { file }).text, `${context}: format is not idempotent`).toBe(fmt.text);
        }
      }
    });
  });
});

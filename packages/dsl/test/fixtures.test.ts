import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors, validateIR } from '@snnc/ir';
import { compile, format, parse } from '@snnc/dsl';
import { matchGolden, stableJson } from './golden.js';

/**
 * Golden files pin the compiler's behaviour: `parse/` (AST and syntax errors), `check/`
 * (one mistake each, as the user sees it), `lower/` (the IR). Files are named relative to
 * the fixtures folder so goldens do not depend on where the checkout lives.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/fixtures.test.ts` and review the diff.
 */
const root = path.join(import.meta.dirname, 'fixtures');

function snnFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.snn'))
    .sort();
}

function readFile(p: string): string | undefined {
  try {
    return fs.readFileSync(path.join(root, p), 'utf8');
  } catch {
    return undefined;
  }
}

describe('parse fixtures', () => {
  for (const name of snnFiles('parse')) {
    it(name, () => {
      const file = `parse/${name}`;
      const text = readFile(file)!;
      const r = parse(text, { file });
      const errors = r.diagnostics.map((d) => formatDiagnostic(d, text)).join('\n\n');
      matchGolden(path.join(root, file.replace(/\.snn$/, '.golden.txt')), `== diagnostics\n${errors}\n== ast\n${stableJson(r.ast)}\n`);
    });
  }
});

describe('check fixtures', () => {
  for (const name of snnFiles('check')) {
    it(name, () => {
      const file = `check/${name}`;
      const r = compile(readFile(file)!, { file, readFile });
      expect(r.diagnostics.length).toBeGreaterThan(0);
      const text = r.diagnostics.map((d) => formatDiagnostic(d, r.sources.get(d.range.file))).join('\n\n');
      matchGolden(path.join(root, file.replace(/\.snn$/, '.errors.txt')), `${text}\n`);
    });
  }
});

describe('lower fixtures', () => {
  for (const name of snnFiles('lower')) {
    it(name, () => {
      const file = `lower/${name}`;
      const r = compile(readFile(file)!, { file, readFile });
      expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
      expect(hasErrors(r.diagnostics)).toBe(false);
      // The lowered IR is what every runtime validates before running it.
      expect(validateIR(r.ir!).map((e) => `${e.code} ${e.message}`)).toEqual([]);
      matchGolden(path.join(root, file.replace(/\.snn$/, '.ir.json')), `${stableJson(r.ir)}\n`);
    });
  }
});

/** Formatting any fixture that parses keeps its meaning: the same IR and the same messages. */
describe('formatter on fixtures', () => {
  const meaning = (r: ReturnType<typeof compile>) =>
    JSON.stringify({ ir: r.ir, messages: r.diagnostics.map((d) => `${d.code} ${d.message}`) }, (k, v: unknown) => (k === 'range' || k === 'related' ? undefined : v));
  for (const dir of ['parse', 'check', 'lower']) {
    for (const name of snnFiles(dir)) {
      const file = `${dir}/${name}`;
      const text = readFile(file)!;
      const formatted = format(text, { file }).text;
      if (formatted === undefined) continue;
      it(file, () => {
        expect(format(formatted, { file }).text).toBe(formatted);
        expect(meaning(compile(formatted, { file, readFile }))).toBe(meaning(compile(text, { file, readFile })));
      });
    }
  }
});

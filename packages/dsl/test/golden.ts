import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** JSON with every source range written as `line:col-line:col` so goldens stay readable. */
export function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v && typeof v === 'object' && 'start' in v && 'endColumn' in v && 'file' in v) {
        const r = v as unknown as { line: number; column: number; endLine: number; endColumn: number };
        return `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
      }
      return v;
    },
    2,
  );
}

/** Compares against a golden file, or (re)writes it when UPDATE_GOLDEN=1. */
export function matchGolden(file: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') {
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`missing golden file ${path.basename(file)}: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

/**
 * House rules from the code review (issue 16, items 10 and 13), checked on the sources as
 * they are, so a copy or a cross-package import that comes back fails a test.
 */

/** Every .ts/.mjs file under `dir`, skipping build output and dependencies. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const ALL = [...sources(path.join(repoRoot, 'packages')), ...sources(path.join(repoRoot, 'apps')), ...sources(path.join(repoRoot, 'tools'))];
const text = new Map(ALL.map((f) => [f, readFileSync(f, 'utf8')]));
const rel = (f: string) => path.relative(repoRoot, f);

/** Files that define `pattern` (tests and their fixtures excluded: they may declare stand-ins). */
function definitions(pattern: RegExp): string[] {
  return ALL.filter((f) => !/\.test\.ts$|__tests__|test-support/.test(f) && pattern.test(text.get(f)!)).map(rel);
}

describe('one copy of each piece of shared plumbing', () => {
  it.each([
    ['an atomic file write', /export (async )?function writeFileAtomic\b|renameSync\(tmp/],
    ['machineInfo()', /export function machineInfo\b/],
    ['snncVersion()', /export function snncVersion\b/],
    ['the backend request list', /BACKEND_REQUESTS\s*(:[^=]+)?=\s*\[/],
    ['the run directory file names', /['"]metrics\.jsonl['"]/],
    ['an override applier', /export function applyOverrides\b/],
    ['the metrics row scores', /train_loss\??: number;[\s\S]{0,80}test_acc\??: number;/],
    ['a type named RunRecord', /export interface RunRecord\b/],
    // exhaustive switches end in @snnc/ir's assertNever, whatever a copy would be called
    ['an exhaustiveness helper (x: never): never', /function \w+\s*\(\s*\w+\s*:\s*never\s*\)\s*:\s*never|\(\s*\w+\s*:\s*never\s*\)\s*:\s*never\s*=>/],
  ])('%s is defined once', (_what, pattern) => {
    expect(definitions(pattern)).toHaveLength(1);
  });
});

describe('package boundaries in tests and tools', () => {
  it("no test imports another package's src/ or __tests__", () => {
    const bad = ALL.filter((f) => /\.test\.ts$|__tests__|\/test\//.test(f)).filter((f) => {
      const pkg = rel(f).split(path.sep).slice(0, 2).join('/');
      return [...text.get(f)!.matchAll(/from '(\.\.?\/[^']+)'/g)].some((m) => {
        const target = rel(path.resolve(path.dirname(f), m[1]!));
        return /^(packages|apps)\//.test(target) && !target.startsWith(`${pkg}/`) && /\/(src|__tests__)\//.test(target);
      });
    });
    expect(bad.map(rel)).toEqual([]);
  });

  it('the editor does not import packages/cli/src', () => {
    const bad = ALL.filter((f) => rel(f).startsWith('apps/editor/') && /packages\/cli\/src/.test(text.get(f)!));
    expect(bad.map(rel)).toEqual([]);
  });

  it('tools take peer paths from the environment or ../shared, never one machine\'s absolute path', () => {
    const bad = ALL.filter((f) => rel(f).startsWith('tools/') && /['"`]\/(work|home|root|Users)\//.test(text.get(f)!));
    expect(bad.map(rel)).toEqual([]);
  });
});

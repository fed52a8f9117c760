import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundleOptions, OUTFILE } from '../scripts/bundle.mjs';

const cliDir = path.resolve(import.meta.dirname, '..');

/** Modules that cost `snnc check` its 0.3 s start-up if they load statically. */
const HEAVY = [/^@snnc\/runtime/, /^@snnc\/nef/, /^@snnc\/plot/, /^@snnc\/experiments\/node/, /^@tensorflow\//, /^bullmq/, /^ioredis/, /^vega/, /^playwright/];

describe('the CLI bundle', () => {
  it('reaches no heavy module through static imports, and bundles the parser and its lodash-es', async () => {
    const result = await build(bundleOptions(false));
    const meta: Metafile = result.metafile!;
    const out = meta.outputs[Object.keys(meta.outputs).find((k) => k.endsWith('snnc.js'))!]!;
    const staticExternal = out.imports.filter((i) => i.external && i.kind === 'import-statement').map((i) => i.path);
    for (const p of staticExternal) expect(HEAVY.some((re) => re.test(p)), `static import of ${p}`).toBe(false);
    expect(staticExternal.some((p) => /^(chevrotain|lodash-es|@snnc\/dsl)/.test(p))).toBe(false);
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((p) => p.includes('lodash-es'))).toBe(true);
    expect(inputs.some((p) => /[\\/]dsl[\\/]dist[\\/]/.test(p))).toBe(true);
    expect(inputs.some((p) => /runtime|[\\/]nef[\\/]|tensorflow/.test(p))).toBe(false);
  });

  it('points every lazily loaded CLI module at the file tsc writes for it', async () => {
    const result = await build(bundleOptions(false));
    const meta: Metafile = result.metafile!;
    const out = meta.outputs[Object.keys(meta.outputs).find((k) => k.endsWith('snnc.js'))!]!;
    const lazy = out.imports.filter((i) => i.kind === 'dynamic-import' && i.path.startsWith('.')).map((i) => i.path);
    expect(lazy).toContain('./commands/run-experiment.js');
    for (const p of lazy) {
      const distFile = path.resolve(path.dirname(OUTFILE as string), p);
      const source = path.join(cliDir, 'src', path.relative(path.join(cliDir, 'dist'), distFile)).replace(/\.js$/, '.ts');
      expect(existsSync(source), `${p} has no source ${source}`).toBe(true);
    }
  });
});

describe('the tracked bin', () => {
  it('says how to build when the bundle is missing, with exit 1 and no stack trace', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'snnc-bin-'));
    const binDir = path.join(root, 'packages', 'cli', 'bin');
    mkdirSync(binDir, { recursive: true });
    copyFileSync(path.join(cliDir, 'bin', 'snnc.js'), path.join(binDir, 'snnc.js'));
    const r = spawnSync(process.execPath, [path.join(binDir, 'snnc.js'), 'check', 'x.snn'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run `npm run build`');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

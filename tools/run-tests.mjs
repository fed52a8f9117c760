#!/usr/bin/env node
// Runs every package's tests through nx, then sums each package's vitest JSON report into
// the one closing line CI reads: `tests: N passed, N failed, N skipped`. Exits non-zero on
// any failure, on a failed nx run, or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const groups = ['packages', 'apps'];
const reports = [];
for (const g of groups) {
  const dir = path.join(root, g);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, 'test-results.json');
    reports.push({ name: `${g}/${name}`, file });
    rmSync(file, { force: true });
  }
}

const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const args = ['nx', 'run-many', '-t', 'test', '--outputStyle=static', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { cwd: root, env, stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const r of reports) {
  if (!existsSync(r.file)) continue;
  const j = JSON.parse(readFileSync(r.file, 'utf8'));
  const p = j.numPassedTests ?? 0;
  const f = (j.numFailedTests ?? 0) + (j.numRuntimeErrorTestSuites ?? 0);
  const s = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  lines.push(`  ${r.name.padEnd(20)} ${p} passed, ${f} failed, ${s} skipped`);
}
console.log('\nper package:');
console.log(lines.join('\n') || '  (no test results found)');
const nxFailed = run.status !== 0;
if (nxFailed && failed === 0) failed = 1; // a package that crashed before writing its report
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) {
  console.error('no test ran');
  process.exit(1);
}
process.exit(failed > 0 || nxFailed ? 1 : 0);

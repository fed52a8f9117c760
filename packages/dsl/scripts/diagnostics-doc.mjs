// Writes docs/diagnostics.md from the built package (run `npx tsc -b packages/dsl` first).
// Usage: node packages/dsl/scripts/diagnostics-doc.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDiagnosticsDoc } from '../dist/docs/diagnostics-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = path.join(root, 'docs/diagnostics.md');
const { markdown, problems } = renderDiagnosticsDoc();
for (const p of problems) console.error(`warning: ${p}`);
if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== markdown) {
    console.error('docs/diagnostics.md is stale: run `npm run docs:diagnostics -w @snnc/dsl`');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, markdown);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

// Rewrites the generated parameter tables in docs/language.md from the built package
// (run `npx tsc -b packages/dsl` first). Usage: node packages/dsl/scripts/param-tables.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderParamTables } from '../dist/docs/param-tables.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = path.join(root, 'docs/language.md');
const current = fs.readFileSync(target, 'utf8');
const { text, problems } = renderParamTables(current);
for (const p of problems) console.error(`warning: ${p}`);
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/language.md parameter tables are stale: run `npm run docs:params -w @snnc/dsl`');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

// Writes packages/dsl/src/cst.generated.ts (the typed CST that to-ast.ts reads) from the built
// parser: run `npx tsc -b packages/dsl` first. src/cst-declarations.test.ts fails when the file is
// stale. Usage: node packages/dsl/scripts/cst-types.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cstDeclarations } from '../dist/cst-declarations.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../src/cst.generated.ts');
const text = cstDeclarations();
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('packages/dsl/src/cst.generated.ts is stale: run `node packages/dsl/scripts/cst-types.mjs`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${relative(process.cwd(), target)}`);
}

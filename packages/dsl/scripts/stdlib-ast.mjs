// Writes packages/dsl/src/stdlib/neurons-ast.generated.ts (the standard library's syntax tree,
// which every compilation reads instead of parsing the library) from the built parser and the
// embedded library: run `node packages/dsl/scripts/embed-stdlib.mjs` and `npx tsc -b packages/dsl`
// first. src/stdlib/stdlib.test.ts fails when the file is stale.
// Usage: node packages/dsl/scripts/stdlib-ast.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdlibAstModule } from '../dist/stdlib/ast-module.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../src/stdlib/neurons-ast.generated.ts');
const text = stdlibAstModule();
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('packages/dsl/src/stdlib/neurons-ast.generated.ts is stale: run `npm run stdlib:ast -w @snnc/dsl`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${relative(process.cwd(), target)}`);
}

#!/usr/bin/env node
// The `snnc` command. This file is tracked in git (not built) so that `npm ci` alone links
// node_modules/.bin/snnc; the program is the bundle that `npm run build` writes to dist/snnc.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/snnc.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  process.stderr.write(`snnc: not built yet (${fileURLToPath(bundle)} is missing): run \`npm run build\` in ${repo}\n`);
  process.exitCode = 1;
}

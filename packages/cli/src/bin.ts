#!/usr/bin/env node
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Only internal failures reach here: user mistakes are diagnostics with exit code 1.
    process.stderr.write(`snnc: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.stderr.write('this is a bug in snnc; please report it with the command and file that caused it\n');
    process.exitCode = 70;
  },
);

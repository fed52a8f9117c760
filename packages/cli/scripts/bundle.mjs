// Bundles the CLI's start-up path (from src/, as tsc type-checked it) into dist/snnc.js so `snnc check` starts in well under 0.3 s:
// chevrotain's lodash-es alone is hundreds of ES modules, which Node loads one file at a time.
// Only what every command needs is bundled (the light allow-list below). Every dynamic
// `import()` stays external and loads tsc's output from dist/ at run time: the heavy modules
// (tfjs, runtime, NEF, plots, BullMQ) are only ever reached that way, and they keep their own
// `import.meta.url`, which they use to find wasm files, workers and package.json files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const srcDir = path.join(cliDir, 'src');
const distDir = path.join(cliDir, 'dist');
export const ENTRY = path.join(srcDir, 'bin.ts');
export const OUTFILE = path.join(distDir, 'snnc.js');

/**
 * What goes inside the bundle: small and needed by every command. Matched on the whole import
 * specifier: `@snnc/ir/node` stays out (it finds package.json files from its own location).
 */
const BUNDLED = [/^@snnc\/(dsl|ir|experiments)$/, /^chevrotain$/, /^@chevrotain\//, /^lodash-es(\/.*)?$/, /^commander$/, /^picocolors$/];

const keepHeavyOut = {
  name: 'snnc-keep-heavy-out',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const relative = args.path.startsWith('.') || path.isAbsolute(args.path);
      if (args.kind === 'dynamic-import') {
        if (!relative) return { path: args.path, external: true };
        // Re-aim the path from the importing source file to tsc's output of it, as seen from the bundle.
        const source = path.resolve(args.resolveDir, args.path);
        const target = path.join(distDir, path.relative(srcDir, source));
        let rel = path.relative(path.dirname(OUTFILE), target).split(path.sep).join('/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return { path: rel, external: true };
      }
      if (relative || args.path.startsWith('node:')) return undefined;
      return BUNDLED.some((re) => re.test(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

/** esbuild's options for the CLI bundle; `write: false` lets tests inspect it in memory. */
export function bundleOptions(write = true) {
  return {
    entryPoints: [ENTRY],
    outfile: OUTFILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write,
    metafile: true,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [keepHeavyOut],
    // commander and picocolors are CommonJS and call require() for node builtins.
    banner: { js: "import { createRequire as __snncCreateRequire } from 'node:module'; const require = __snncCreateRequire(import.meta.url);" },
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build(bundleOptions(true));
  } catch {
    // esbuild has already printed the located errors.
    process.exitCode = 1;
  }
}

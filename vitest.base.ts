import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));
const pkgs = ['ir', 'dsl', 'runtime', 'nef', 'plot', 'experiments', 'cli', 'nir'];

/**
 * Shared vitest settings. Workspace packages resolve to their TypeScript sources so tests
 * never run against a stale build; each package writes test-results.json, which
 * tools/run-tests.mjs sums into the closing `N passed, N failed` line CI reads.
 */
export function base(dir: string): ViteUserConfig {
  return {
    resolve: {
      alias: [
        ...pkgs.map((p) => ({ find: `@snnc/${p}/node`, replacement: path.join(root, 'packages', p, 'src', 'node', 'index.ts') })),
        ...pkgs.map((p) => ({ find: new RegExp(`^@snnc/${p}$`), replacement: path.join(root, 'packages', p, 'src', 'index.ts') })),
      ],
    },
    test: {
      root: dir,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: path.join(dir, 'test-results.json') },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
    },
  };
}

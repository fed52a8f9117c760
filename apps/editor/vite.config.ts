import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { ISOLATION_HEADERS } from '@snnc/ir';
import { mnistSubsetPlugin } from './build/vite-plugins.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const pkgs = ['ir', 'dsl', 'nef', 'runtime', 'nir'];

export default defineConfig({
  // Relative asset URLs: dist/ works from any path (`snnc editor`, a static host, file shares).
  base: './',
  resolve: {
    // Workspace packages are bundled from their TypeScript sources, never from a stale dist/.
    alias: pkgs.map((p) => ({ find: new RegExp(`^@snnc/${p}$`), replacement: path.join(repo, 'packages', p, 'src', 'index.ts') })),
  },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  // Cross-origin isolated like `snnc editor`, so wasm training can use threads and shared memory.
  server: { host: '127.0.0.1', fs: { allow: [repo] }, headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
  plugins: [mnistSubsetPlugin()],
});

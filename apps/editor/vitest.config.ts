import { defineConfig } from 'vitest/config';
import { base } from '../../vitest.base.js';

const config = base(import.meta.dirname);

// The end-to-end suite builds the app once and drives one Chromium; running its files in
// parallel would start several browsers on a 2-core machine.
export default defineConfig({
  ...config,
  test: { ...config.test, fileParallelism: false, testTimeout: 120_000, hookTimeout: 240_000 },
});

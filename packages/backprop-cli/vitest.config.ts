import { defineConfig } from 'vitest/config';

// The suites run the real bin on real tables, and one starts the real API and worker: one file at a time on a
// shared 2-core machine (so timings mean something), generous bounds, never hangs.
export default defineConfig({
  test: { testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

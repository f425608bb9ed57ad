import { defineConfig } from 'vitest/config';

// The browser suites start the real API and worker and drive Chromium: allow for a shared 2-core machine, never
// for hangs. They run one file at a time (each has its own service; together they would only fight for the CPU),
// on one build of the app made before any of them starts.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
  },
});

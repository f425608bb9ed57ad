import { defineConfig } from 'vitest/config';

// Scenario suites spawn real worker processes against real PostgreSQL and Redis on a shared 2-core machine:
// generous bounds so slow moments pass, never unbounded waits. Suites run one at a time (they train).
export default defineConfig({
  test: { testTimeout: 180_000, hookTimeout: 60_000, fileParallelism: false },
});

import { defineConfig } from 'vitest/config';

// Real PostgreSQL and Redis on a shared 2-core machine: allow for slow moments, never for hangs.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });

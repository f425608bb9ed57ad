import { defineConfig } from 'vitest/config';

// Real Redis, PostgreSQL and HTTP on a shared 2-core machine: allow for slow moments, never for hangs.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });

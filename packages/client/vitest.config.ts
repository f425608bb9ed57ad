import { defineConfig } from 'vitest/config';

// The watch suite starts the real API and worker: allow for a shared 2-core machine, never for hangs.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });

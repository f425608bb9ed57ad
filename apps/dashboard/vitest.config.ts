import { defineConfig } from 'vitest/config';

// The browser suite starts the real API and worker and drives Chromium: allow for a shared 2-core machine, never for hangs.
export default defineConfig({
  test: { testTimeout: 180_000, hookTimeout: 180_000, include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'] },
});

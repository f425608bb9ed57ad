import { defineConfig } from 'vitest/config';

// The repository's own scripts (`npm start`, `npm test`); they spawn processes against real services.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });

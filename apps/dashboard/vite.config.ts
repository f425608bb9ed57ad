import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.TRAINYARD_URL ?? 'http://127.0.0.1:3000';

// `npm run dev -w @trainyard/dashboard` serves the app with hot reload and forwards API calls (/v1, /readyz) to a
// running service (TRAINYARD_URL, default http://127.0.0.1:3000); `npm run build` writes dist/ for dashboardPlugin.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/v1': api, '/readyz': api } },
});

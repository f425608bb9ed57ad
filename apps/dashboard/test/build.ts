// Builds the dashboard with Vite, as `npm run build -w @trainyard/dashboard` does, so the suite tests the current source.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

export async function buildDashboard(): Promise<void> {
  await build({ configFile: CONFIG, logLevel: 'warn' });
}

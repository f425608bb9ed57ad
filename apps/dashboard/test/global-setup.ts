// Once per run, before any suite: the browser suites test the app built from the current source.
import { buildDashboard } from './build.ts';

export default async function setup(): Promise<void> {
  await buildDashboard();
}

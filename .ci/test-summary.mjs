// Sums the per-package vitest summaries of a turbo test run into one closing line: "N passed, N failed".
import { readFileSync } from 'node:fs';

const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const log = readFileSync(process.argv[2], 'utf8').replace(ansiColour, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  const match = line.match(/^(?:.*:\s+)?\s*Tests\s+(.*)\(\d+\)\s*$/);
  if (!match) continue;
  for (const [, count, kind] of match[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    if (kind === 'passed') passed += Number(count);
    else if (kind === 'failed') failed += Number(count);
    else skipped += Number(count);
  }
}
console.log(`\nTest summary over all workspaces:`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

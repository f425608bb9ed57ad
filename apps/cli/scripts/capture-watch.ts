// Regenerates docs/cli-watch.txt: `trainyard jobs submit … --watch` against a throwaway service, output as a
// log file sees it (one progress line per second). Run: node --import tsx apps/cli/scripts/capture-watch.ts
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startService } from '@trainyard/client/testing';
import { runCli } from '../test/run-cli.ts';

const SPEC = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 150, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, validationSplit: 0.2, seed: 42 },
};

const service = await startService({ name: 'capture' });
const dir = await mkdtemp(join(tmpdir(), 'trainyard-capture-'));
try {
  await writeFile(join(dir, 'iris-job.json'), JSON.stringify(SPEC, null, 2));
  const result = await runCli(['jobs', 'submit', 'iris-job.json', '--watch'], { TRAINYARD_URL: service.url, TRAINYARD_API_KEY: service.apiKey }, { cwd: dir });
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stderr}`);
  const text = `$ trainyard jobs submit iris-job.json --watch\n${result.stdout}${result.stderr}`;
  await writeFile(join(REPO_ROOT, 'docs', 'cli-watch.txt'), text);
  process.stdout.write(text);
} finally {
  await rm(dir, { recursive: true, force: true });
  await service.stop();
}

// `npm run bench:service`: what the service costs a training job. Trains one spec twice over, alternately
// standalone (the engine's Trainer in this process, the same backend and threads as the worker) and as a job
// of the running service (progress, per-epoch metrics, checkpoints and snapshots on), then prints the
// samples/s of each run and the service's share of the standalone rate.
// Options: --url (TRAINYARD_URL, http://127.0.0.1:3000) --key (TRAINYARD_API_KEY, ty_local_development_key)
//          --epochs 20 --rounds 2 --every 1 (snapshot every N epochs) --arch 256,128 (hidden units, ReLU)
// Start the service with the engine settings to compare (BACKPROP_BACKEND, BACKPROP_THREADS): this process
// uses the same environment variables for its standalone runs.
import { parseArgs } from 'node:util';
import { loadBuiltin, selectKernel, Trainer, type ModelSpec, type TrainingConfig } from '@trainyard/backprop';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.TRAINYARD_URL ?? 'http://127.0.0.1:3000' },
    key: { type: 'string', default: process.env.TRAINYARD_API_KEY ?? 'ty_local_development_key' },
    epochs: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    every: { type: 'string', default: '1' },
    arch: { type: 'string', default: '256,128' },
  },
});
const base = values.url!;
const headers = { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' };

interface JobView {
  id: string;
  status: string;
  model: ModelSpec;
  training: TrainingConfig;
  samplesPerSecond: number | null;
  backend: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: { code: string; message: string } | null;
}

const body = {
  dataset: 'builtin:mnist',
  model: { layers: [...values.arch!.split(',').map((units) => ({ units: Number(units), activation: 'relu' })), { units: 10, activation: 'softmax' }] },
  training: { epochs: Number(values.epochs), batchSize: 128, seed: 7, optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 } },
  snapshots: { everyEpochs: Number(values.every), keep: 3 },
};

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function serviceRun(): Promise<JobView> {
  const { id } = await api<JobView>('/v1/jobs', { method: 'POST', body: JSON.stringify(body) });
  for (;;) {
    const job = await api<JobView>(`/v1/jobs/${id}`);
    if (job.status === 'succeeded') return job;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${id} ended ${job.status}: ${JSON.stringify(job.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function standaloneRun(model: ModelSpec, training: TrainingConfig): Promise<number> {
  const trainer = new Trainer({ spec: model, training, data: loadBuiltin('mnist'), kernel: selectKernel() });
  return trainer.run().then((outcome) => outcome.samplesPerSecond);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`Trainyard service overhead against ${base} — ${new Date().toISOString()}`);
console.log(`job: builtin:mnist, ${body.model.layers.map((l) => l.units).join('-')}, batch 128, ${values.epochs} epochs, snapshot every ${values.every} epoch(s)\n`);

// A first job tells the resolved spec (what the worker trains) and warms the service up.
const first = await serviceRun();
console.log(`warm-up job ${first.id}: ${fmt(first.samplesPerSecond ?? NaN)} samples/s on ${first.backend}`);
const rows: string[][] = [['round', 'standalone samples/s', 'service samples/s', 'service wall-clock samples/s', 'service / standalone']];
const ratios: number[] = [];
for (let round = 1; round <= Number(values.rounds); round++) {
  const alone = await standaloneRun(first.model, first.training);
  const job = await serviceRun();
  const wall = (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
  const epochsSamples = Number(values.epochs) * Math.floor(10_000 * (1 - (first.training.validationSplit ?? 0)));
  const ratio = job.samplesPerSecond! / alone;
  ratios.push(ratio);
  rows.push([String(round), fmt(alone), fmt(job.samplesPerSecond!), fmt(epochsSamples / wall), `${(ratio * 100).toFixed(1)}%`]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
rows.forEach((row, i) => {
  console.log(`| ${row.map((cell, c) => cell.padStart(widths[c])).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
});
console.log(`\nservice / standalone: best ${(Math.max(...ratios) * 100).toFixed(1)}%, mean ${((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 100).toFixed(1)}% (target ≥ 95%)`);
console.log('service samples/s is the job record\'s (the engine\'s own count over the run, as standalone); wall-clock adds queueing, loading and the final writes.');

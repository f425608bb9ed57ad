// `npm run bench:sweep`: what a job costs beyond its training, and what sweeps make of it. Starts its own API and
// worker processes (on DATABASE_URL, default the local `trainyard` database, with a queue of its own) and prints:
//   - the tiny-job fixed cost: createdAt → finishedAt of 20 one-epoch builtin:xor jobs in a row (median, p90);
//   - jobs/s for 200 tiny jobs submitted at once, on one and on two worker processes;
//   - the wall time of a 24-trial random MNIST sweep (parallelism 2, two workers) without and with ASHA pruning.
// Options: --tiny 20 --burst 200 --trials 24 --epochs 9 (--trials 0: no sweeps, only the fixed costs)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '@trainyard/db';
import { printTable } from './table.ts';

const { values } = parseArgs({
  options: {
    tiny: { type: 'string', default: '20' },
    burst: { type: 'string', default: '200' },
    trials: { type: 'string', default: '24' },
    epochs: { type: 'string', default: '9' },
  },
});
const root = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'ty_bench_sweep_key';
const PORT = 3217;
const base = `http://127.0.0.1:${PORT}`;
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/trainyard',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  TRAINYARD_QUEUE: `bench-sweep-${process.pid}`,
  TRAINYARD_BOOTSTRAP_KEY: KEY,
  PORT: String(PORT),
  LOG_LEVEL: 'warn',
  TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT: '10000',
  TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT: '100',
  TRAINYARD_RATE_LIMIT_PER_MINUTE: '0',
};
const children: ChildProcess[] = [];
mkdirSync(join(root, 'test-artifacts'), { recursive: true });

/** The services' own logs (warnings and errors) go to test-artifacts/bench-sweep.log. */
const logFile = openSync(join(root, 'test-artifacts', 'bench-sweep.log'), 'w');

function start(entry: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', logFile, logFile] });
  children.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${base}${path}`, { ...init, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tinyJob = { dataset: 'builtin:xor', model: { layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }] }, training: { epochs: 1 } };

interface JobTimes { id: string; status: string; createdAt: string; finishedAt: string | null }

async function finished(id: string): Promise<JobTimes> {
  for (;;) {
    const job = await api<JobTimes>(`/v1/jobs/${id}`);
    if (job.finishedAt) return job;
    await sleep(5);
  }
}

/** Waits for the service and a worker to answer: one tiny job end to end. */
async function warmUp(): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await finished((await api<{ id: string }>('/v1/jobs', { method: 'POST', body: JSON.stringify(tinyJob) })).id);
      return;
    } catch (error) {
      if (i > 600) throw error;
      await sleep(100);
    }
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function fixedCost(count: number): Promise<{ median: number; p90: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const job = await finished((await api<{ id: string }>('/v1/jobs', { method: 'POST', body: JSON.stringify(tinyJob) })).id);
    times.push(Date.parse(job.finishedAt!) - Date.parse(job.createdAt));
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p90: quantile(times, 0.9) };
}

async function burst(count: number): Promise<number> {
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: count }, async () => (await api<{ id: string }>('/v1/jobs', { method: 'POST', body: JSON.stringify(tinyJob) })).id));
  for (const id of ids) await finished(id);
  return count / ((performance.now() - started) / 1000);
}

async function sweep(trials: number, epochs: number, pruning: boolean): Promise<{ seconds: number; pruned: number; best: number }> {
  const body = {
    base: {
      dataset: 'builtin:mnist', model: { layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
      training: { epochs, batchSize: 64, seed: 1 },
    },
    parameters: { 'training.optimizer.learningRate': { logUniform: [1e-5, 0.01] }, 'model.layers.0.units': { values: [16, 64, 128] } },
    method: 'random', trials, seed: 7, parallelism: 2,
    objective: { metric: 'valLoss', goal: 'minimize' },
    pruning: pruning ? { type: 'asha', minEpochs: 1, reductionFactor: 3 } : null,
  };
  const { id } = await api<{ id: string }>('/v1/sweeps', { method: 'POST', body: JSON.stringify(body) });
  for (;;) {
    const s = await api<{ status: string; createdAt: string; finishedAt: string | null; trials: { pruned: number }; best: { value: number } | null }>(`/v1/sweeps/${id}`);
    if (s.finishedAt) return { seconds: (Date.parse(s.finishedAt) - Date.parse(s.createdAt)) / 1000, pruned: s.trials.pruned, best: s.best?.value ?? NaN };
    await sleep(200);
  }
}

try {
  await migrate({ url: env.DATABASE_URL! });
  console.log(`Trainyard sweeps and fixed costs — ${new Date().toISOString()}; own API on :${PORT}, queue ${env.TRAINYARD_QUEUE}\n`);
  start('apps/api/src/main.ts');
  const first = start('apps/worker/src/main.ts');
  await warmUp();
  const cost = await fixedCost(Number(values.tiny));
  const oneWorker = await burst(Number(values.burst));
  start('apps/worker/src/main.ts');
  await sleep(5_000); // the second worker's start (its training thread warms up)
  const twoWorkers = await burst(Number(values.burst));
  const trials = Number(values.trials);
  const plain = trials > 0 ? await sweep(trials, Number(values.epochs), false) : null;
  const pruned = trials > 0 ? await sweep(trials, Number(values.epochs), true) : null;
  await stop(first);
  printTable([
    ['measure', 'value'],
    [`tiny job fixed cost, median (${values.tiny} in a row)`, `${cost.median} ms`],
    ['tiny job fixed cost, p90', `${cost.p90} ms`],
    [`${values.burst} tiny jobs at once, 1 worker`, `${oneWorker.toFixed(1)} jobs/s`],
    [`${values.burst} tiny jobs at once, 2 workers`, `${twoWorkers.toFixed(1)} jobs/s`],
    ...(plain && pruned ? [
      [`${trials}-trial MNIST sweep, ${values.epochs} epochs, no pruning`, `${plain.seconds.toFixed(1)} s (best valLoss ${plain.best.toFixed(4)})`],
      [`${trials}-trial MNIST sweep, ASHA (1, 3)`, `${pruned.seconds.toFixed(1)} s (${pruned.pruned} pruned, best valLoss ${pruned.best.toFixed(4)})`],
    ] : []),
  ]);
} finally {
  await Promise.all(children.map(stop));
}

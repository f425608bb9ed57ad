// `trainyard sweeps …` and `trainyard jobs replay` against a real service: API and worker processes, PostgreSQL, Redis.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainyardClient, type Job, type JobSubmitBody, type Page, type Sweep, type Trial } from '@trainyard/client';
import { startService, type RunningService } from '@trainyard/client/testing';
import { runCli } from './run-cli.ts';

const IRIS_JOB: JobSubmitBody = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs: 10, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.02 }, validationSplit: 0.2, seed: 7 },
};
/** Minutes of training (MNIST epochs of tens of milliseconds): still running when cancelled. */
const LONG_JOB: JobSubmitBody = {
  dataset: 'builtin:mnist',
  model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
  training: { epochs: 5000, batchSize: 32, seed: 11 },
};
/** 2×2 grid, two trials at a time. */
const GRID = {
  base: IRIS_JOB,
  parameters: { 'training.optimizer.learningRate': { values: [0.005, 0.05] }, 'model.layers.0.units': { values: [4, 16] } },
  method: 'grid',
  parallelism: 2,
  objective: { metric: 'valLoss', goal: 'minimize' },
};
const LONG_SWEEP = {
  base: LONG_JOB,
  parameters: { 'training.optimizer.learningRate': { values: [0.001, 0.002, 0.003] } },
  method: 'grid',
  parallelism: 2,
  objective: { metric: 'loss', goal: 'minimize' },
};

let service: RunningService;
let client: TrainyardClient;
let env: Record<string, string>;
let dir: string;
let gridSweep: Sweep;

const cli = (...args: string[]) => runCli(args, env, { cwd: dir });

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The largest number of jobs running at the same moment, from their start and end times. */
function mostAtOnce(jobs: Job[]): number {
  const edges = jobs.flatMap((job) => [[Date.parse(job.startedAt!), 1], [Date.parse(job.finishedAt!), -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, change] of edges) most = Math.max(most, (running += change));
  return most;
}

beforeAll(async () => {
  // The worker could train three at once: the sweep's parallelism is what holds it to two.
  service = await startService({ name: 'cli-sweeps', env: { WORKER_CONCURRENCY: '3' } });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
  env = { TRAINYARD_URL: service.url, TRAINYARD_API_KEY: service.apiKey };
  dir = await mkdtemp(join(tmpdir(), 'trainyard-cli-sweeps-'));
  await writeFile(join(dir, 'grid.json'), JSON.stringify(GRID));
  await writeFile(join(dir, 'long.json'), JSON.stringify(LONG_SWEEP));
}, 120_000);

afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('trainyard sweeps submit --watch', () => {
  it('runs a 2×2 grid on iris two trials at a time, prints a line per trial change and the leaderboard, and exits 0', async () => {
    const result = await cli('sweeps', 'submit', 'grid.json', '--watch');
    expect(result.code, result.stderr).toBe(0);
    const [id, ...table] = result.stdout.trimEnd().split('\n');
    expect(id).toMatch(/^swp_/);
    gridSweep = await client.getSweep(id);
    expect(gridSweep).toMatchObject({ status: 'succeeded', trials: { total: 4, succeeded: 4, queued: 0, running: 0, failed: 0 } });

    // The leaderboard: the API's order, ranked, with each trial's parameters, value and epochs.
    const trials = (await client.sweepTrials(id)).data;
    expect(trials).toHaveLength(4);
    expect(table[0]).toMatch(/^RANK\s+JOB\s+STATUS\s+PARAMETERS\s+VALUE\s+EPOCHS\s+STOP_REASON$/);
    expect(table.slice(1).map((line) => line.trim().split(/\s+/))).toEqual(
      trials.map((trial, rank) => [
        String(rank + 1), trial.jobId, 'succeeded',
        `units=${trial.parameters['model.layers.0.units']}`, `learningRate=${trial.parameters['training.optimizer.learningRate']}`,
        expect.stringMatching(/^\d/), '10', '-',
      ]),
    );
    const values = trials.map((trial) => trial.value!);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    expect(gridSweep.best).toEqual({ jobId: trials[0].jobId, value: values[0], parameters: trials[0].parameters });
    const grid = trials.map((trial) => [trial.parameters['training.optimizer.learningRate'], trial.parameters['model.layers.0.units']]);
    expect(grid.map((pair) => JSON.stringify(pair)).sort()).toEqual(['[0.005,16]', '[0.005,4]', '[0.05,16]', '[0.05,4]']);

    // Live lines on stderr: every trial's last one at 10 epochs, succeeded; the sweep's last status and a summary.
    const lines = result.stderr.split('\n');
    for (const trial of trials) {
      const own = lines.filter((line) => line.startsWith(`trial ${trial.trial} ${trial.jobId} `));
      expect(own.length, result.stderr).toBeGreaterThanOrEqual(1);
      expect(own.at(-1)).toMatch(/ succeeded · 10 epochs · valLoss \S+ · units=\d+ learningRate=\S+$/);
    }
    expect(lines).toContain(`${id} succeeded · 4 succeeded of 4 · best valLoss ${table[1].trim().split(/\s+/)[5]} (${trials[0].jobId})`);
    expect(result.stderr).toMatch(new RegExp(`${id} succeeded in \\d+:\\d\\d · 4 succeeded of 4 · best valLoss \\S+: ${trials[0].jobId} \\(units=`));

    // Trials are ordinary jobs of the sweep, never more than `parallelism` at once.
    const jobs = (await client.listJobs({ sweep: id })).data;
    expect(jobs.map((job) => job.id).sort()).toEqual(trials.map((trial) => trial.jobId).sort());
    expect(jobs.every((job) => job.sweep === id)).toBe(true);
    expect(mostAtOnce(jobs)).toBeLessThanOrEqual(2);
  });

  it('with --json prints one document: the final sweep and its leaderboard', async () => {
    const result = await cli('sweeps', 'submit', 'grid.json', '--watch', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { sweep, trials } = JSON.parse(result.stdout) as { sweep: Sweep; trials: Trial[] };
    expect(sweep.status).toBe('succeeded');
    expect(trials).toEqual((await client.sweepTrials(sweep.id)).data);
  });

  it('names the API\'s complaint with its path and exits 1; an unreadable spec is a usage error (exit 2)', async () => {
    const bad = { ...GRID, parameters: { 'training.optimizer.learningRate': { values: [0.01] }, 'model.layers.7.units': { values: [4] } } };
    const rejected = await runCli(['sweeps', 'submit', '-'], env, { cwd: dir, stdin: JSON.stringify(bad) });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/HTTP 4\d\d/);
    expect(rejected.stderr).toContain('model.layers.7.units');
    const missing = await cli('sweeps', 'submit', 'nowhere.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nowhere.json: no such file');
  });
});

describe('trainyard sweeps list | get | trials', () => {
  it('prints tables, and the API\'s JSON with --json', async () => {
    const list = await cli('sweeps', 'list');
    expect(list.code, list.stderr).toBe(0);
    const [header, ...rows] = list.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+STATUS\s+METHOD\s+DATASET\s+TRIALS\s+OBJECTIVE\s+BEST\s+CREATED$/);
    expect(rows.find((row) => row.startsWith(gridSweep.id))).toMatch(/succeeded\s+grid\s+builtin:iris\s+4\/4\s+min valLoss\s+\d/);
    const listed = JSON.parse((await cli('sweeps', 'list', '--status', 'succeeded', '--json')).stdout) as Page<Sweep>;
    expect(listed.data.map((sweep) => sweep.id)).toContain(gridSweep.id);

    const get = await cli('sweeps', 'get', gridSweep.id);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/^status\s+succeeded$/m);
    expect(get.stdout).toMatch(/^objective\s+minimize valLoss$/m);
    expect(get.stdout).toContain('training.optimizer.learningRate {"values":[0.005,0.05]}');
    expect(get.stdout).toMatch(new RegExp(`^best\\s+\\S+ ${gridSweep.best!.jobId} units=\\d+ learningRate=`, 'm'));
    expect(JSON.parse((await cli('sweeps', 'get', gridSweep.id, '--json')).stdout)).toEqual(await client.getSweep(gridSweep.id));

    const top = await cli('sweeps', 'trials', gridSweep.id, '--limit', '2');
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout.trimEnd().split('\n').slice(1).map((line) => line.trim().split(/\s+/).slice(0, 2))).toEqual(
      (await client.sweepTrials(gridSweep.id, { limit: 2 })).data.map((trial, rank) => [String(rank + 1), trial.jobId]),
    );
    const all = JSON.parse((await cli('sweeps', 'trials', gridSweep.id, '--json')).stdout) as Page<Trial>;
    expect(all).toEqual({ data: (await client.sweepTrials(gridSweep.id)).data, hasMore: false, nextCursor: null });
  });

  it('says so when there is no such sweep (404, exit 1)', async () => {
    const result = await cli('sweeps', 'get', 'swp_missing');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no sweep swp_missing (not_found, HTTP 404)');
  });
});

describe('trainyard sweeps cancel', () => {
  it('cancels a running sweep: its running trials stop, the watch ends with the leaderboard and exit 1', async () => {
    const watching = cli('sweeps', 'submit', 'long.json', '--watch');
    const id = await waitFor(async () => {
      const page = await client.listSweeps({ status: 'running' });
      const sweep = page.data.find((candidate) => candidate.trials.running === 2);
      return sweep?.id;
    }, 'two running trials');

    const cancel = await cli('sweeps', 'cancel', id);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^${id} (cancelled|cancel requested, \\w+)`));

    const watched = await watching;
    expect(watched.code, watched.stderr).toBe(1);
    const [printedId, ...table] = watched.stdout.trimEnd().split('\n');
    expect(printedId).toBe(id);
    const sweep = await client.getSweep(id);
    expect(sweep).toMatchObject({ status: 'cancelled', cancelRequested: true, trials: { queued: 0, running: 0, succeeded: 0 } });
    const jobs = (await client.listJobs({ sweep: id })).data;
    expect(jobs).toHaveLength(2); // the third trial was never started
    expect(jobs.every((job) => job.status === 'cancelled')).toBe(true);
    expect(table.slice(1).map((line) => line.trim().split(/\s+/)[2])).toEqual(['cancelled', 'cancelled']);
    expect(watched.stderr).toContain(`${id} cancelled`);

    const again = await cli('sweeps', 'cancel', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/HTTP 409/);
  });
});

describe('trainyard jobs replay', () => {
  it('trains a succeeded job again, follows it with --watch and says it reproduced the weights (exit 0)', async () => {
    const original = await client.submitJob(IRIS_JOB);
    await waitFor(async () => ((await client.getJob(original.id)).status === 'succeeded' ? true : undefined), 'the job to succeed');

    const result = await cli('jobs', 'replay', original.id, '--watch');
    expect(result.code, result.stderr).toBe(0);
    const id = result.stdout.trim();
    expect(id).toMatch(/^job_/);
    expect(id).not.toBe(original.id);
    expect(await client.getJob(id)).toMatchObject({ status: 'succeeded', replayOf: original.id, reproduces: { jobId: original.id, identical: true } });
    expect(result.stderr).toContain(`${id} succeeded in`);
    expect(result.stderr).toContain(`reproduces ${original.id}: identical weights`);

    const queued = await cli('jobs', 'replay', original.id, '--json');
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({ replayOf: original.id, status: 'queued' });
  });

  it('refuses a job that has not succeeded (409, exit 1)', async () => {
    const running = await client.submitJob(LONG_JOB);
    const result = await cli('jobs', 'replay', running.id);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/HTTP 409/);
    await client.cancelJob(running.id);
  });
});

// Sweeps end to end with real worker processes: a grid whose trials are ordinary jobs with their parameters
// applied, never more than `parallelism` at once; ASHA pruning that must happen, with each rung decision taken
// once and consistent with the rule; cancel; a worker SIGKILLed mid-sweep losing no trial and finishing none
// twice; and 422s that name the trial and path.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { continuesAtRung } from '@trainyard/sweeps';
import { startTestApi, type TestApi } from './harness.ts';
import { startWorker, type TestWorker } from './worker-process.ts';

const WAIT = { timeout: 300_000, interval: 200 };
const WORKER_ENV = { TRAINYARD_PROGRESS_INTERVAL_MS: '50', TRAINYARD_CHECKPOINT_INTERVAL_MS: '200', WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', TRAINYARD_RECONCILE_INTERVAL_MS: '1000' };

// Sweeps of several trials on one worker (each trial a few seconds of fixed cost on 2 cores).
vi.setConfig({ testTimeout: 300_000 });

let api: TestApi;
const workers: TestWorker[] = [];

beforeAll(async () => {
  api = await startTestApi('sweeps');
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.close();
});

/** The worker most tests share (a worker process takes seconds to start). */
let shared: TestWorker | undefined;
const sharedWorker = () => (shared ??= worker());

function worker(): TestWorker {
  const started = startWorker(api, WORKER_ENV);
  workers.push(started);
  return started;
}

interface Sweep {
  id: string;
  status: string;
  trials: Record<'total' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'pruned', number>;
  best: { jobId: string; value: number; parameters: Record<string, unknown> } | null;
}

async function submit(body: Record<string, unknown>): Promise<Sweep> {
  const response = await api.http.post('/v1/sweeps').set(api.alice.auth).send(body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body;
}

async function ended(id: string, log: () => string): Promise<Sweep> {
  let sweep!: Sweep;
  await vi.waitFor(async () => {
    sweep = (await api.http.get(`/v1/sweeps/${id}`).set(api.alice.auth)).body;
    if (!['succeeded', 'failed', 'cancelled'].includes(sweep.status)) throw new Error(`sweep ${id} is ${sweep.status} ${JSON.stringify(sweep.trials)}\n${log().slice(-1500)}`);
  }, WAIT);
  return sweep;
}

const trialsOf = async (id: string) => (await api.http.get(`/v1/jobs?sweep=${id}&limit=100`).set(api.alice.auth)).body.data as {
  id: string; status: string; parameters: Record<string, number>; training: { optimizer: { learningRate: number } }; model: { layers: { units: number }[] };
  startedAt: string; finishedAt: string; stoppedEarly: boolean; stopReason: string | null; progress: { epoch: number }; finalSnapshot: string | null;
}[];

describe('a grid sweep', () => {
  it('runs every combination as a job with its parameters applied, at most `parallelism` at once, best first', async () => {
    const w = sharedWorker();
    const sweep = await submit({
      base: { dataset: 'builtin:iris', model: { layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 15, seed: 3 } },
      parameters: { 'training.optimizer.learningRate': { values: [0.1, 0.01, 0.001] }, 'model.layers.0.units': { values: [4, 16] } },
      method: 'grid', parallelism: 2, objective: { metric: 'valAccuracy', goal: 'maximize' },
    });
    expect(sweep.trials.total).toBe(6);
    const done = await ended(sweep.id, w.log);
    expect(done.status).toBe('succeeded');
    expect(done.trials).toMatchObject({ total: 6, succeeded: 6, queued: 0, running: 0, failed: 0, cancelled: 0 });

    const trials = await trialsOf(sweep.id);
    expect(trials).toHaveLength(6);
    const combos = trials.map((t) => `${t.parameters['training.optimizer.learningRate']}/${t.parameters['model.layers.0.units']}`).sort();
    expect(combos).toEqual(['0.001/16', '0.001/4', '0.01/16', '0.01/4', '0.1/16', '0.1/4']);
    for (const t of trials) {
      expect(t.training.optimizer.learningRate).toBe(t.parameters['training.optimizer.learningRate']);
      expect(t.model.layers[0].units).toBe(t.parameters['model.layers.0.units']);
    }
    // Never more than two trials between their start and their end at any moment.
    const edges = trials.flatMap((t) => [[Date.parse(t.startedAt), 1], [Date.parse(t.finishedAt), -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    for (const [, change] of edges) expect((running += change)).toBeLessThanOrEqual(2);

    const board = (await api.http.get(`/v1/sweeps/${sweep.id}/trials`).set(api.alice.auth)).body.data as { jobId: string; value: number }[];
    expect(board).toHaveLength(6);
    const values = board.map((row) => row.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(done.best).toMatchObject({ jobId: board[0].jobId, value: board[0].value });
    const bestJob = (await api.http.get(`/v1/jobs/${board[0].jobId}`).set(api.alice.auth)).body;
    expect(bestJob.metrics.valAccuracy).toBe(board[0].value);
  });
});

describe('ASHA pruning', () => {
  it('stops the trials below the top third at each rung, each decision taken once and by the rule', async () => {
    const w = sharedWorker();
    const sweep = await submit({
      base: { dataset: 'builtin:spirals', model: { layers: [{ units: 32, activation: 'tanh' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 9, batchSize: 16, seed: 1 } },
      parameters: { 'training.optimizer.learningRate': { logUniform: [1e-5, 0.05] } },
      method: 'random', trials: 9, seed: 4, parallelism: 3,
      objective: { metric: 'valLoss', goal: 'minimize' }, pruning: { type: 'asha', minEpochs: 1, reductionFactor: 3 },
    });
    const done = await ended(sweep.id, w.log);
    expect(done.status).toBe('succeeded');
    expect(done.trials.succeeded).toBe(9);
    expect(done.trials.pruned).toBeGreaterThan(0);

    const trials = await trialsOf(sweep.id);
    const rungs = await api.db.prisma.sweepRung.findMany({ where: { sweepId: sweep.id }, orderBy: { at: 'asc' } });
    for (const t of trials.filter((trial) => trial.stopReason === 'pruned')) {
      expect(t.status).toBe('succeeded');
      expect(t.stoppedEarly).toBe(true);
      expect(t.finalSnapshot).not.toBeNull();
      // It stopped exactly at the rung that said so: training waits for the decision there.
      const decision = rungs.find((r) => r.jobId === t.id && !r.continues)!;
      expect(t.progress.epoch).toBe(decision.epoch);
    }
    // One decision per trial and rung, each what the rule gives against the values recorded before it.
    expect(new Set(rungs.map((r) => `${r.epoch}/${r.jobId}`)).size).toBe(rungs.length);
    for (const epoch of [1, 3]) {
      const atRung = rungs.filter((r) => r.epoch === epoch);
      atRung.forEach((r, i) => expect(r.continues).toBe(continuesAtRung(r.value, atRung.slice(0, i).map((e) => e.value), 'minimize', 3)));
    }
    const notPruned = trials.filter((t) => t.stopReason !== 'pruned');
    for (const t of notPruned) expect(t.progress.epoch).toBe(9);
  });
});

describe('cancel, crashes and bad sweeps', () => {
  it('cancel stops the sweep: queued trials cancelled, running ones within a step, no new trial', async () => {
    const w = sharedWorker();
    const sweep = await submit({
      base: { dataset: 'builtin:mnist', model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] }, training: { epochs: 50 } },
      parameters: { 'training.batchSize': { values: [16, 32, 64, 128, 256] } },
      method: 'grid', parallelism: 2, objective: { metric: 'valLoss', goal: 'minimize' },
    });
    await vi.waitFor(async () => {
      const trials = await trialsOf(sweep.id);
      if (!trials.some((t) => t.status === 'running')) throw new Error(`no trial running yet\n${w.log().slice(-1000)}`);
    }, WAIT);
    const cancelled = await api.http.post(`/v1/sweeps/${sweep.id}/cancel`).set(api.alice.auth);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await vi.waitFor(async () => {
      const trials = await trialsOf(sweep.id);
      if (trials.some((t) => t.status === 'queued' || t.status === 'running')) throw new Error('trials still active');
    }, WAIT);
    const trials = await trialsOf(sweep.id);
    expect(trials.length).toBeLessThanOrEqual(2);
    expect(trials.every((t) => t.status === 'cancelled')).toBe(true);
    expect((await api.http.post(`/v1/sweeps/${sweep.id}/cancel`).set(api.alice.auth)).status).toBe(409);
  });

  it('a worker SIGKILLed mid-sweep loses no trial and finishes none twice', async () => {
    await shared?.stop();
    const first = worker();
    const sweep = await submit({
      base: { dataset: 'builtin:iris', model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 300, batchSize: 4 } },
      parameters: { 'training.seed': { intUniform: [1, 4] } },
      method: 'grid', parallelism: 2, objective: { metric: 'valAccuracy', goal: 'maximize' },
    });
    await vi.waitFor(async () => {
      const trials = await trialsOf(sweep.id);
      if (!trials.some((t) => t.status === 'running' && t.progress.epoch >= 20)) throw new Error(`not far enough\n${first.log().slice(-1000)}`);
    }, WAIT);
    await first.kill();
    const second = worker();
    const done = await ended(sweep.id, second.log);
    expect(done.status).toBe('succeeded');
    expect(done.trials).toMatchObject({ total: 4, succeeded: 4 });
    const rows = await api.db.prisma.job.findMany({ where: { sweepId: sweep.id }, select: { trialIndex: true, status: true } });
    expect(rows.map((r) => r.trialIndex).sort()).toEqual([0, 1, 2, 3]);
    const finals = await api.db.prisma.snapshot.count({ where: { job: { sweepId: sweep.id }, kind: 'final' } });
    expect(finals).toBe(4);
  });

  it('answers 422 naming the trial or parameter path', async () => {
    const base = { dataset: 'builtin:iris', model: { layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }] } };
    const objective = { metric: 'valLoss', goal: 'minimize' };
    const grid = await api.http.post('/v1/sweeps').set(api.alice.auth).send({ base, parameters: { 'training.optimizer.learningRate': { uniform: [0.001, 0.1] } }, method: 'grid', objective });
    expect(grid.status).toBe(422);
    expect(grid.body.error.details[0].path).toBe('parameters.training.optimizer.learningRate.uniform');
    const index = await api.http.post('/v1/sweeps').set(api.alice.auth).send({ base, parameters: { 'model.layers.4.units': { values: [8] } }, method: 'grid', objective });
    expect(index.status).toBe(422);
    expect(index.body.error.message).toMatch(/model\.layers\.4/);
    const units = await api.http.post('/v1/sweeps').set(api.alice.auth).send({ base, parameters: { 'model.layers.1.units': { values: [3, 5] } }, method: 'grid', objective });
    expect(units.status).toBe(422);
    expect(units.body.error.message).toMatch(/^trial 1 /);
    const random = await api.http.post('/v1/sweeps').set(api.alice.auth).send({ base, parameters: { 'training.batchSize': { intUniform: [8, 64] } }, method: 'random', objective });
    expect(random.status).toBe(422);
    expect(random.body.error.details[0].path).toBe('trials');
  });
});

// A sweep survives what a job survives: Redis FLUSHALLed while trials are queued and running (a private
// redis-server, so nobody else's queues are touched) is reconciled from PostgreSQL, and an API process SIGKILLed
// mid-sweep loses nothing (trials are driven by the workers and the reconciler). In both, every trial runs to
// completion exactly once: one terminal status event and one final snapshot per trial, one row per trial index.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PrivateRedis } from '@trainyard/queue/testing';
import { startTestApi, type TestApi } from './harness.ts';
import { startApiProcess, startWorker, type TestWorker } from './worker-process.ts';

const WAIT = { timeout: 150_000, interval: 200 };
const WORKER_ENV = {
  WORKER_CONCURRENCY: '1', TRAINYARD_PROGRESS_INTERVAL_MS: '50', TRAINYARD_CHECKPOINT_INTERVAL_MS: '200',
  WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000', TRAINYARD_RECONCILE_INTERVAL_MS: '1000',
};
const SWEEP = {
  base: { dataset: 'builtin:iris', model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] }, training: { epochs: 400, batchSize: 4 } },
  parameters: { 'training.seed': { values: [1, 2, 3, 4] } },
  method: 'grid', parallelism: 2, objective: { metric: 'valAccuracy', goal: 'maximize' },
};

vi.setConfig({ testTimeout: 180_000, hookTimeout: 60_000 });

const processes: TestWorker[] = [];
afterAll(async () => {
  await Promise.allSettled(processes.map((p) => p.kill()));
});

const rowsOf = (api: TestApi, sweepId: string) =>
  api.prisma.job.findMany({ where: { sweepId }, select: { id: true, status: true, epoch: true, trialIndex: true } });

async function endedSucceeded(api: TestApi, sweepId: string, log: () => string): Promise<void> {
  await vi.waitFor(async () => {
    const sweep = (await api.http.get(`/v1/sweeps/${sweepId}`).set(api.alice.auth)).body;
    if (!['succeeded', 'failed', 'cancelled'].includes(sweep.status)) throw new Error(`sweep is ${sweep.status} ${JSON.stringify(sweep.trials)}\n${log().slice(-2000)}`);
    expect(sweep.status).toBe('succeeded');
    expect(sweep.trials).toMatchObject({ total: 4, succeeded: 4, failed: 0, cancelled: 0, queued: 0, running: 0 });
  }, WAIT);
}

/** Every trial ran to completion exactly once. */
async function eachTrialOnce(api: TestApi, sweepId: string): Promise<void> {
  const rows = await rowsOf(api, sweepId);
  expect(rows.map((r) => r.trialIndex).sort()).toEqual([0, 1, 2, 3]);
  for (const r of rows) expect(r.status).toBe('succeeded');
  const statusEvents = await api.prisma.jobEvent.findMany({ where: { job: { sweepId }, type: 'status' }, select: { jobId: true, data: true } });
  const ends = statusEvents.filter((e) => ['succeeded', 'failed', 'cancelled'].includes((e.data as { status: string }).status));
  expect(ends.map((e) => e.jobId).sort()).toEqual(rows.map((r) => r.id).sort());
  expect(await api.prisma.snapshot.count({ where: { job: { sweepId }, kind: 'final' } })).toBe(4);
}

describe('Redis FLUSHALL mid-sweep', () => {
  let redis: PrivateRedis;
  let api: TestApi;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    api = await startTestApi('sweep_flush', { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.kill()));
    await api?.close();
    await redis?.kill();
  });

  it('is reconciled: the sweep ends succeeded, every trial run to completion once', async () => {
    const worker = startWorker(api, { ...WORKER_ENV, LOG_LEVEL: 'info' });
    processes.push(worker);
    const response = await api.http.post('/v1/sweeps').set(api.alice.auth).send(SWEEP);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const sweepId = response.body.id as string;
    // One trial training, one waiting in the queue (parallelism 2 on a worker that runs one at a time).
    await vi.waitFor(async () => {
      const rows = await rowsOf(api, sweepId);
      if (!(rows.some((r) => r.status === 'running' && r.epoch >= 10 && r.epoch < 300) && rows.some((r) => r.status === 'queued'))) {
        throw new Error(`not running and queued yet ${JSON.stringify(rows)}\n${worker.log().slice(-1000)}`);
      }
    }, WAIT);
    await redis.flushAll();
    const atFlush = await rowsOf(api, sweepId);
    console.log(`sweep-recovery: flushed with trials ${JSON.stringify(atFlush.map((r) => `${r.trialIndex}:${r.status}@${r.epoch}`))}`);
    await endedSucceeded(api, sweepId, worker.log);
    await eachTrialOnce(api, sweepId);
  });
});

describe('an API process SIGKILLed mid-sweep', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('sweep_api_kill');
  });
  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.kill()));
    await api?.close();
  });

  it('loses no trial and runs none twice; another API process reports the sweep', async () => {
    const worker = startWorker(api, WORKER_ENV);
    processes.push(worker);
    const first = await startApiProcess(api, { LOG_LEVEL: 'warn' });
    processes.push(first);
    const submitted = await fetch(`${first.url}/v1/sweeps`, {
      method: 'POST', headers: { ...api.alice.auth, 'content-type': 'application/json' }, body: JSON.stringify(SWEEP),
    });
    expect(submitted.status).toBe(202);
    const sweepId = ((await submitted.json()) as { id: string }).id;
    // Watching it over SSE on that API when it dies.
    const watch = fetch(`${first.url}/v1/sweeps/${sweepId}/events`, { headers: api.alice.auth }).then((r) => r.text()).catch(() => '');
    await vi.waitFor(async () => {
      const rows = await rowsOf(api, sweepId);
      if (!rows.some((r) => r.status === 'running' && r.epoch >= 10)) throw new Error(`no trial far enough\n${worker.log().slice(-1000)}`);
    }, WAIT);
    await first.kill();
    await watch;

    const second = await startApiProcess(api, { LOG_LEVEL: 'warn' });
    processes.push(second);
    await endedSucceeded(api, sweepId, () => `${worker.log()}\n--- api\n${second.log()}`);
    await eachTrialOnce(api, sweepId);
    const seen = (await (await fetch(`${second.url}/v1/sweeps/${sweepId}`, { headers: api.alice.auth })).json()) as { status: string };
    expect(seen.status).toBe('succeeded');
  });
});

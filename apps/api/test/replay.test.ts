// Receipts and replay with real worker processes: every kernel this machine has trains a job whose receipt names
// what it trained from and on; a replay, taken by a worker whose own default is another backend and thread count,
// trains on the original's and reproduces its final weights byte for byte — also after the original was SIGKILLed
// midway and resumed. A replay no worker can run on its backend waits, is left to one that can, or fails
// `backend_unavailable`.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableBackends, ENGINE_VERSION } from '@trainyard/backprop';
import { startTestApi, type TestApi } from './harness.ts';
import { binary, REPO_ROOT, startWorker, type TestWorker } from './worker-process.ts';

const PENGUINS = readFileSync(`${REPO_ROOT}node_modules/vega-datasets/data/penguins.json`);
const WAIT = { timeout: 240_000, interval: 100 };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Job {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
  backend: string | null;
  model: unknown;
  training: { seed: number };
  features: unknown;
  snapshots: unknown;
  initialWeights: string | null;
  dataset: string;
  receipt: { datasetSha256: string; resolvedSpec: Record<string, unknown>; seed: number; engine: { version: string; backend: string; threads: number }; weightsSha256: string | null } | null;
  replayOf: string | null;
  reproduces: { jobId: string; identical: boolean } | null;
  progress: { step: number };
}

let api: TestApi;
const workers: TestWorker[] = [];
let datasetId: string;

beforeAll(async () => {
  api = await startTestApi('replay');
  const upload = await api.http.post('/v1/datasets').set(api.alice.auth)
    .field('name', 'penguins').field('target', 'Species').attach('file', PENGUINS, 'penguins.json');
  expect(upload.status, JSON.stringify(upload.body)).toBe(201);
  datasetId = upload.body.id;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.close();
});

function worker(env: Record<string, string> = {}): TestWorker {
  const started = startWorker(api, env);
  workers.push(started);
  return started;
}

const getJob = async (id: string): Promise<Job> => (await api.http.get(`/v1/jobs/${id}`).set(api.alice.auth)).body;

async function ended(id: string, log: () => string): Promise<Job> {
  let job = await getJob(id);
  await vi.waitFor(async () => {
    job = await getJob(id);
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) throw new Error(`job ${id} is ${job.status}\n${log().slice(-2000)}`);
  }, WAIT);
  return job;
}

async function submit(body: Record<string, unknown> = {}): Promise<string> {
  const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({
    dataset: datasetId,
    model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    training: { epochs: 8, batchSize: 16, seed: 11, testSplit: 0.2 },
    ...body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body.id;
}

async function replay(id: string): Promise<Job> {
  const response = await api.http.post(`/v1/jobs/${id}/replay`).set(api.alice.auth);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body;
}

const finalWeights = async (id: string) => (await binary(api.http.get(`/v1/jobs/${id}/weights`).set(api.alice.auth))).body as Buffer;

// The replays are taken by a worker whose own choice would be js with one thread: it must follow the original's.
const REPLAYER = { BACKPROP_BACKEND: 'js', BACKPROP_THREADS: '1' };
const kernels = availableBackends().map((backend) => ({ backend, threads: backend === 'js' ? 1 : 2 }));

describe.each(kernels)('on $backend with $threads threads', ({ backend, threads }) => {
  let original: Job;

  it('a job\'s receipt names the dataset, the resolved spec, the seed, the engine and the final weights', async () => {
    const trainer = worker({ BACKPROP_BACKEND: backend, BACKPROP_THREADS: String(threads) });
    const id = await submit();
    original = await ended(id, trainer.log);
    await trainer.stop();
    expect(original.status, JSON.stringify(original.error)).toBe('succeeded');
    expect(original.receipt).toEqual({
      datasetSha256: sha256(PENGUINS),
      resolvedSpec: {
        dataset: datasetId, model: original.model, training: original.training, features: original.features,
        snapshots: original.snapshots, initialWeights: original.initialWeights,
      },
      seed: 11,
      engine: { version: ENGINE_VERSION, backend, threads: backend === 'js' ? 1 : threads },
      weightsSha256: sha256(await finalWeights(id)),
    });
  });

  it('a replay trains on the same kernel and reproduces the final weights byte for byte', async () => {
    const replayer = worker(REPLAYER);
    const queued = await replay(original.id);
    expect(queued).toMatchObject({ status: 'queued', replayOf: original.id, reproduces: null, receipt: null });
    const again = await ended(queued.id, replayer.log);
    await replayer.stop();
    expect(again.status, JSON.stringify(again.error)).toBe('succeeded');
    expect(again.reproduces).toEqual({ jobId: original.id, identical: true });
    expect(again.receipt!.engine).toEqual(original.receipt!.engine);
    expect(again.receipt!.weightsSha256).toBe(original.receipt!.weightsSha256);
    expect((await finalWeights(again.id)).equals(await finalWeights(original.id))).toBe(true);
  });
});

describe('replays and crashes', () => {
  it('is identical when the original was SIGKILLed midway and resumed from its checkpoint', async () => {
    const settings = { TRAINYARD_CHECKPOINT_INTERVAL_MS: '100', TRAINYARD_PROGRESS_INTERVAL_MS: '50', WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' };
    const first = worker(settings);
    const id = await submit({ training: { epochs: 400, batchSize: 8, seed: 5 } });
    // Killed once a checkpoint exists past the first steps.
    await vi.waitFor(async () => {
      const checkpoint = await api.db.prisma.checkpoint.findUnique({ where: { jobId: id }, select: { step: true } });
      if (!checkpoint || checkpoint.step < 50) throw new Error(`no checkpoint yet\n${first.log().slice(-1000)}`);
    }, WAIT);
    await first.kill();
    const second = worker(settings);
    const original = await ended(id, second.log);
    expect(original.status, JSON.stringify(original.error)).toBe('succeeded');
    const row = await api.db.prisma.job.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
    expect(row.attempts).toBeGreaterThanOrEqual(2);

    const again = await ended((await replay(id)).id, second.log);
    await second.stop();
    expect(again.status, JSON.stringify(again.error)).toBe('succeeded');
    expect(again.reproduces).toEqual({ jobId: id, identical: true });
  });

  it('a replay is left to a worker that has the backend, and fails backend_unavailable when none has it in time', async () => {
    const fast = availableBackends().find((b) => b !== 'js');
    if (fast === undefined) return; // a js-only machine has no backend to withhold
    const trainer = worker({ BACKPROP_BACKEND: fast });
    const original = await ended(await submit({ training: { epochs: 2, seed: 3 } }), trainer.log);
    await trainer.stop();
    expect(original.backend).toBe(fast);

    const without = worker({ BACKPROP_BACKENDS: 'js', TRAINYARD_REPLAY_WAIT_SECONDS: '3' });
    const failing = await ended((await replay(original.id)).id, without.log);
    expect(failing.status).toBe('failed');
    expect(failing.error!.code).toBe('backend_unavailable');
    expect(failing.error!.message).toContain(fast);

    // With a second worker that has the backend, the first one leaves the replay to it.
    const patient = worker({ BACKPROP_BACKENDS: 'js', TRAINYARD_REPLAY_WAIT_SECONDS: '120' });
    await without.stop();
    const queued = await replay(original.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await getJob(queued.id)).status).toBe('queued');
    const able = worker();
    const done = await ended(queued.id, able.log);
    await Promise.all([patient.stop(), able.stop()]);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.reproduces).toEqual({ jobId: original.id, identical: true });
  });

  it('answers 409 for a job that has not succeeded and 404 for another tenant\'s', async () => {
    const queued = await submit();
    const response = await api.http.post(`/v1/jobs/${queued}/replay`).set(api.alice.auth);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
    expect((await api.http.post(`/v1/jobs/${queued}/replay`).set(api.bob.auth)).status).toBe(404);
    await api.http.post(`/v1/jobs/${queued}/cancel`).set(api.alice.auth);
  });
});

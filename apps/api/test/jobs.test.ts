import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import supertest from 'supertest';
import { CANCEL_CHANNEL, createRedis, closeRedis, JobQueue } from '@trainyard/queue';
import { deliveryJobId, WebhookDispatcher, webhookQueueName } from '@trainyard/webhooks';
import { startTestApi, type TestApi } from './harness.ts';
import { event, finishJob, IRIS_JOB } from './fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('jobs');
});
afterAll(async () => api?.close());

// The example of API.md.
const CONTRACT_EXAMPLE = {
  dataset: 'builtin:iris',
  model: { layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: {
    epochs: 100, batchSize: 32,
    optimizer: { type: 'adam', learningRate: 0.01 },
    loss: 'cross_entropy',
    validationSplit: 0.2, shuffle: true, seed: 42, normalize: true,
    earlyStopping: { metric: 'valLoss', patience: 10 },
  },
  snapshots: { everyEpochs: 10, keep: 5 },
  initialWeights: null,
  webhook: { url: 'https://example.test/hooks/trainyard', events: ['succeeded', 'failed', 'cancelled'] },
  metadata: { any: 'client data' },
};

async function submit(body: object = IRIS_JOB, auth = api.alice.auth) {
  const response = await api.http.post('/v1/jobs').set(auth).send(body);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body;
}

describe('POST /v1/jobs', () => {
  it('answers 202 with the queued job, every default filled in, written before it is queued', async () => {
    const job = await submit({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } });
    expect(job).toMatchObject({
      id: expect.stringMatching(/^job_/),
      status: 'queued',
      dataset: 'builtin:iris',
      model: { inputSize: 4, layers: [{ units: 3, activation: 'softmax' }] },
      snapshots: { everyEpochs: 10, keep: 5 },
      metadata: null,
      initialWeights: null,
      webhook: null,
      progress: { epoch: 0, epochs: job.training.epochs, step: 0, steps: 0, fraction: 0 },
      metrics: null,
      samplesPerSecond: null,
      backend: null,
      stoppedEarly: false,
      cancelRequested: false,
      error: null,
      startedAt: null,
      finishedAt: null,
      bestSnapshot: null,
      finalSnapshot: null,
    });
    // The engine's defaults: softmax output ⇒ cross_entropy.
    expect(job.training).toMatchObject({ loss: 'cross_entropy', optimizer: { type: 'adam' }, normalize: true });
    expect(job.training.epochs).toBeGreaterThan(0);
    expect(new Date(job.createdAt).toISOString()).toBe(job.createdAt);

    const row = await api.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.tenantId).toBe(api.alice.id);
    expect(row.status).toBe('queued');
    expect(await api.queue.state(job.id)).toBe('waiting');
    const events = await api.prisma.jobEvent.findMany({ where: { jobId: job.id } });
    expect(events.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([['status', 'queued']]);
  });

  it('keeps every field of the contract example', async () => {
    const job = await submit(CONTRACT_EXAMPLE);
    expect(job.training).toMatchObject({
      epochs: 100, batchSize: 32, loss: 'cross_entropy', validationSplit: 0.2, shuffle: true, seed: 42, normalize: true,
      optimizer: { type: 'adam', learningRate: 0.01 },
      earlyStopping: { metric: 'valLoss', patience: 10 },
    });
    expect(job.metadata).toEqual({ any: 'client data' });
    expect(job.webhook).toEqual(CONTRACT_EXAMPLE.webhook);
    expect(job.model).toEqual({ inputSize: 4, layers: CONTRACT_EXAMPLE.model.layers });
  });

  it('answers 422 invalid_spec with every reason and its path', async () => {
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({
      dataset: 'builtin:iris',
      model: { inputSize: 5, layers: [{ units: 8, activation: 'softmax' }, { units: 2, activation: 'softmax' }] },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('invalid_spec');
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toContain('model.layers[0].activation'); // softmax not last
    expect(paths).toContain('model.layers[1].units'); // 2 outputs for 3 classes
    expect(response.body.error.details).toContainEqual({ path: expect.stringMatching(/^model/), message: expect.stringContaining('input size') }); // 5 ≠ 4 features
  });

  it('answers 422 for a dataset the tenant cannot see', async () => {
    const bobs = await api.http.post('/v1/datasets').set(api.bob.auth).send({ name: 'b', format: 'csv', content: 'a,y\n1,0\n2,1\n', target: 'y', task: 'classification' });
    for (const dataset of ['ds_nope', 'builtin:nope', bobs.body.id]) {
      const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, dataset });
      expect(response.status, dataset).toBe(422);
      expect(response.body.error.details).toEqual([{ path: 'dataset', message: expect.any(String) }]);
    }
  });

  it('answers 400 for fields the contract does not know, naming them', async () => {
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, training: { epoch: 5 } });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual({ path: 'training.epoch', message: 'is not a known field' });
    const activation = await api.http.post('/v1/jobs').set(api.alice.auth).send({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'gelu' }] } });
    expect(activation.status).toBe(400);
    expect(activation.body.error.details[0]).toEqual({ path: 'model.layers[0].activation', message: expect.stringContaining('softmax') });
  });

  it('answers 422 limit_exceeded beyond the configured limits', async () => {
    const limited = supertest(
      (await api.buildAnother({ limits: { ...api.config.limits, maxLayers: 2, maxUnitsPerLayer: 64, maxParameters: 400, maxEpochs: 50, maxComputeBudget: 150 * 20, maxMetadataBytes: 64 } })).server,
    );
    const cases: [object, string][] = [
      [{ ...IRIS_JOB, model: { layers: [{ units: 4, activation: 'relu' }, { units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }] } }, 'model.layers'],
      [{ ...IRIS_JOB, model: { layers: [{ units: 65, activation: 'relu' }, { units: 3, activation: 'softmax' }] } }, 'model.layers[0].units'],
      [{ ...IRIS_JOB, model: { layers: [{ units: 60, activation: 'relu' }, { units: 3, activation: 'softmax' }] } }, 'model'],
      [{ ...IRIS_JOB, training: { epochs: 51 } }, 'training.epochs'],
      [{ ...IRIS_JOB, training: { epochs: 21 } }, 'training.epochs'], // 21 × 150 rows > 3000
      [{ ...IRIS_JOB, metadata: { note: 'x'.repeat(100) } }, 'metadata'],
    ];
    for (const [body, path] of cases) {
      const response = await limited.post('/v1/jobs').set(api.alice.auth).send(body);
      expect(response.status, path).toBe(422);
      expect(response.body.error.code).toBe('limit_exceeded');
      expect(response.body.error.details.map((detail: { path: string }) => detail.path)).toContain(path);
    }
    expect((await limited.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, training: { epochs: 20 } })).status).toBe(202);
  });

  it('answers 429 with Retry-After when the tenant already has too many queued jobs', async () => {
    const erin = await api.newTenant('erin');
    const limited = supertest((await api.buildAnother({ limits: { ...api.config.limits, maxQueuedJobsPerTenant: 2 } })).server);
    for (let i = 0; i < 2; i++) expect((await limited.post('/v1/jobs').set(erin.auth).send(IRIS_JOB)).status).toBe(202);
    const refused = await limited.post('/v1/jobs').set(erin.auth).send(IRIS_JOB);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_queued_jobs');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await limited.post('/v1/jobs').set(api.bob.auth).send(IRIS_JOB)).status).toBe(202);
  });

  it('keeps the accepted job when Redis cannot take it: the row stays queued for the reconciler', async () => {
    const deadQueue = new JobQueue({ name: `${api.config.queueName}-dead`, redisUrl: 'redis://127.0.0.1:1' });
    try {
      const app = await (await import('../src/app.ts')).buildApp({ config: api.config, prisma: api.prisma, redis: api.redis, queue: deadQueue, logger: false });
      await app.ready();
      const response = await supertest(app.server).post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
      expect(response.status).toBe(202);
      expect((await api.prisma.job.findUniqueOrThrow({ where: { id: response.body.id } })).status).toBe('queued');
      await app.close();
    } finally {
      await deadQueue.close();
    }
  });
});

describe('reading jobs', () => {
  it('GET /v1/jobs/:id answers the job, 404 for unknown ids', async () => {
    const job = await submit();
    const response = await api.http.get(`/v1/jobs/${job.id}`).set(api.alice.auth);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(job);
    expect((await api.http.get('/v1/jobs/job_nope').set(api.alice.auth)).status).toBe(404);
  });

  it('answers polls from memory until a job event says the job changed', async () => {
    const cached = supertest((await api.buildAnother({ jobCacheTtlMs: 600_000 })).server);
    const job = await submit();
    expect((await cached.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).body.progress.epoch).toBe(0);
    await api.prisma.job.update({ where: { id: job.id }, data: { epoch: 1, step: 10, steps: 30 } });
    // Without a notification the answer comes from memory (no query).
    expect((await cached.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).body.progress.epoch).toBe(0);
    // Not to another tenant, whose key reaches the database and its 404.
    expect((await cached.get(`/v1/jobs/${job.id}`).set(api.bob.auth)).status).toBe(404);
    const eventId = await event(api.prisma, job.id, 'progress', { epoch: 1, epochs: 20, step: 10, steps: 30, fraction: 1 / 3, samplesPerSecond: 1 });
    await api.queue.publishEvent(job.id, eventId);
    await vi.waitFor(async () => {
      expect((await cached.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).body.progress).toMatchObject({ epoch: 1, step: 10, steps: 30 });
    }, { timeout: 5000, interval: 20 });
  });

  it('shows progress, metrics and snapshots of a finished job', async () => {
    const job = await submit();
    const { finalSnapshotId, bestSnapshotId } = await finishJob(api.prisma, job.id);
    const response = await api.http.get(`/v1/jobs/${job.id}`).set(api.alice.auth);
    expect(response.body).toMatchObject({
      status: 'succeeded',
      progress: { epoch: 3, step: 30, steps: 30, fraction: 1 },
      metrics: { loss: 1 / 3, accuracy: 0.8 },
      samplesPerSecond: 1000,
      backend: 'js',
      finalSnapshot: finalSnapshotId,
      bestSnapshot: bestSnapshotId,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
  });

  it('GET /v1/jobs lists newest first, filters by status and dataset, and pages', async () => {
    const frank = await api.newTenant('frank');
    const dataset = await api.http.post('/v1/datasets').set(frank.auth).send({ name: 'd', format: 'csv', content: 'a,b,y\n1,2,0\n2,1,1\n', target: 'y', task: 'classification' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit(IRIS_JOB, frank.auth)).id);
    const onUpload = await submit({ dataset: dataset.body.id, model: { layers: [{ units: 2, activation: 'softmax' }] } }, frank.auth);
    await finishJob(api.prisma, ids[0]);

    const all: string[] = [];
    let after: string | null = null;
    do {
      const page: supertest.Response = await api.http.get('/v1/jobs').query({ limit: 2, ...(after ? { after } : {}) }).set(frank.auth);
      expect(page.status).toBe(200);
      all.push(...page.body.data.map((job: { id: string }) => job.id));
      after = page.body.nextCursor;
    } while (after !== null);
    expect(all).toEqual([onUpload.id, ...[...ids].reverse()]);

    const succeeded = await api.http.get('/v1/jobs?status=succeeded').set(frank.auth);
    expect(succeeded.body.data.map((job: { id: string }) => job.id)).toEqual([ids[0]]);
    const byDataset = await api.http.get(`/v1/jobs?dataset=${dataset.body.id}`).set(frank.auth);
    expect(byDataset.body).toEqual({ data: [expect.objectContaining({ id: onUpload.id })], hasMore: false, nextCursor: null });
  });

  it('GET /v1/jobs/:id/metrics answers the series oldest first, after a step, page by page', async () => {
    const job = await submit();
    await finishJob(api.prisma, job.id);
    const all = await api.http.get(`/v1/jobs/${job.id}/metrics`).set(api.alice.auth);
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual([1, 2, 3].map((epoch) => ({ epoch, step: epoch * 10, loss: 1 / epoch, accuracy: 0.5 + epoch / 10, at: expect.any(String) })));
    const later = await api.http.get(`/v1/jobs/${job.id}/metrics?after=10`).set(api.alice.auth);
    expect(later.body.data.map((point: { epoch: number }) => point.epoch)).toEqual([2, 3]);
    const first = await api.http.get(`/v1/jobs/${job.id}/metrics?limit=2`).set(api.alice.auth);
    expect(first.body).toMatchObject({ hasMore: true, nextCursor: '20' });
    const rest = await api.http.get(`/v1/jobs/${job.id}/metrics?after=${first.body.nextCursor}`).set(api.alice.auth);
    expect(rest.body).toMatchObject({ data: [expect.objectContaining({ epoch: 3 })], hasMore: false, nextCursor: null });
  });

  it('GET /v1/jobs/:id/snapshots lists the snapshots newest first', async () => {
    const job = await submit();
    const snapshots = await finishJob(api.prisma, job.id);
    const response = await api.http.get(`/v1/jobs/${job.id}/snapshots`).set(api.alice.auth);
    expect(response.status).toBe(200);
    expect(response.body.data.map((snapshot: { id: string }) => snapshot.id)).toEqual([snapshots.finalSnapshotId, snapshots.bestSnapshotId, snapshots.periodicSnapshotId]);
    expect(response.body.data[0]).toEqual({
      id: snapshots.finalSnapshotId, jobId: job.id, epoch: 3, step: 30, metrics: { loss: 1 / 3 }, sizeBytes: expect.any(Number), createdAt: expect.any(String), kind: 'final',
    });
  });
});

describe('POST /v1/jobs/:id/cancel', () => {
  it('cancels a queued job at once and takes it off the queue', async () => {
    const job = await submit();
    const response = await api.http.post(`/v1/jobs/${job.id}/cancel`).set(api.alice.auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'cancelled', cancelRequested: true, finishedAt: expect.any(String) });
    expect(await api.queue.state(job.id)).toBeNull();
    const events = await api.prisma.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => (e.data as { status: string }).status)).toEqual(['queued', 'cancelled']);
  });

  it('asks the worker holding a running job to stop (202), over Redis pub/sub', async () => {
    const job = await submit();
    await api.prisma.job.updateMany({ where: { id: job.id }, data: { status: 'running', startedAt: new Date() } });
    const listener = createRedis(undefined, {});
    const received: string[] = [];
    try {
      await listener.subscribe(CANCEL_CHANNEL);
      listener.on('message', (_channel: string, message: string) => received.push(message));
      const response = await api.http.post(`/v1/jobs/${job.id}/cancel`).set(api.alice.auth);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ status: 'running', cancelRequested: true });
      await vi.waitFor(() => expect(received).toContain(job.id), { timeout: 3000, interval: 10 });
    } finally {
      await closeRedis(listener);
    }
  });

  it('announces a queued job it cancels to the job webhook (recorded delivery, queued for the delivery worker)', async () => {
    const webhooks = new WebhookDispatcher({ queueName: webhookQueueName(api.config.queueName), redisUrl: api.config.redisUrl, settings: api.config.webhooks });
    try {
      // A loopback receiver, as an operator allows one (TRAINYARD_WEBHOOK_ALLOWED_CIDRS).
      const app = await api.buildAnother({ webhooks: { ...api.config.webhooks, allowedCidrs: ['127.0.0.1/32'] } }, { webhooks });
      const http = supertest.agent(app.server);
      const url = 'http://127.0.0.1:9/hooks';
      const job = (await http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, webhook: { url, events: ['cancelled'] } }).expect(202)).body;
      const silent = (await http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, webhook: { url, events: ['succeeded'] } }).expect(202)).body;
      await http.post(`/v1/jobs/${job.id}/cancel`).set(api.alice.auth).expect(200);
      await http.post(`/v1/jobs/${silent.id}/cancel`).set(api.alice.auth).expect(200);
      const delivery = await vi.waitFor(
        async () => {
          const row = await api.prisma.webhookDelivery.findFirst({ where: { jobId: job.id } });
          expect(row).not.toBeNull();
          return row!;
        },
        { timeout: 5000, interval: 20 },
      );
      expect(delivery).toMatchObject({ event: 'cancelled', url, tenantId: api.alice.id, attempts: 0 });
      expect((delivery.body as { job: { status: string } }).job.status).toBe('cancelled');
      await vi.waitFor(async () => expect(await webhooks.bull.getJob(deliveryJobId(delivery.id))).toBeDefined(), { timeout: 5000, interval: 20 });
      await webhooks.close(); // waits for notifications in flight: the other job's has been decided by now
      expect(await api.prisma.webhookDelivery.count({ where: { jobId: silent.id } })).toBe(0);
    } finally {
      await webhooks.close();
      await webhooks.bull.obliterate({ force: true }).catch(() => undefined);
    }
  });

  it('a cancel requested on a running job reaches the cached answer of another API instance', async () => {
    // A cache that only a notification can clear.
    const other = supertest.agent((await api.buildAnother({ jobCacheTtlMs: 3_600_000 })).server);
    const job = await submit();
    await api.prisma.job.updateMany({ where: { id: job.id }, data: { status: 'running', startedAt: new Date() } });
    expect((await other.get(`/v1/jobs/${job.id}`).set(api.alice.auth).expect(200)).body).toMatchObject({ status: 'running', cancelRequested: false });
    await api.http.post(`/v1/jobs/${job.id}/cancel`).set(api.alice.auth).expect(202);
    await vi.waitFor(
      async () => expect((await other.get(`/v1/jobs/${job.id}`).set(api.alice.auth).expect(200)).body.cancelRequested).toBe(true),
      { timeout: 5000, interval: 20 },
    );
  });

  it('answers 409 on a finished job and 404 on an unknown one', async () => {
    const job = await submit();
    await finishJob(api.prisma, job.id);
    const response = await api.http.post(`/v1/jobs/${job.id}/cancel`).set(api.alice.auth);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('succeeded') });
    expect((await api.http.post('/v1/jobs/job_nope/cancel').set(api.alice.auth)).status).toBe(404);
  });
});

describe('DELETE /v1/jobs/:id', () => {
  it('answers 409 while the job is queued or running', async () => {
    const job = await submit();
    const response = await api.http.delete(`/v1/jobs/${job.id}`).set(api.alice.auth);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
  });

  it('deletes a finished job with its metrics, events and snapshots', async () => {
    const job = await submit();
    await finishJob(api.prisma, job.id);
    expect((await api.http.delete(`/v1/jobs/${job.id}`).set(api.alice.auth)).status).toBe(204);
    expect((await api.http.get(`/v1/jobs/${job.id}`).set(api.alice.auth)).status).toBe(404);
    expect(await api.prisma.metricPoint.count({ where: { jobId: job.id } })).toBe(0);
    expect(await api.prisma.snapshot.count({ where: { jobId: job.id } })).toBe(0);
    expect(await api.prisma.jobEvent.count({ where: { jobId: job.id } })).toBe(0);
    expect((await api.http.delete(`/v1/jobs/${job.id}`).set(api.alice.auth)).status).toBe(404);
  });
});

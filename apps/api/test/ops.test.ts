import { availableBackends } from '@trainyard/backprop';
import { unknownJobsKey } from '@trainyard/queue';
import { Worker } from 'bullmq';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRIS_JOB } from './fixtures.ts';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  // Every scrape reads afresh, so a change shows at the next one.
  api = await startTestApi('ops', { TRAINYARD_METRICS_REFRESH_MS: '0' });
});

/** The value of one sample line of a Prometheus text answer (labels exactly as written), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(app = api.http): Promise<string> {
  const response = await app.get('/metrics').expect(200);
  return response.text;
}
afterAll(async () => api?.close());

// Every route of API.md (plus the additive GET /v1/snapshots/{id}).
const CONTRACT_ROUTES = [
  'post /v1/datasets', 'get /v1/datasets', 'get /v1/datasets/{id}', 'delete /v1/datasets/{id}',
  'post /v1/jobs', 'get /v1/jobs', 'get /v1/jobs/{id}', 'delete /v1/jobs/{id}', 'post /v1/jobs/{id}/cancel',
  'get /v1/jobs/{id}/metrics', 'get /v1/jobs/{id}/events', 'post /v1/jobs/{id}/predict', 'get /v1/jobs/{id}/snapshots',
  'get /v1/jobs/{id}/weights', 'get /v1/snapshots/{id}/weights', 'post /v1/snapshots', 'get /v1/snapshots/{id}',
  'post /admin/tenants', 'post /admin/tenants/{id}/keys', 'delete /admin/keys/{id}',
  'get /healthz', 'get /readyz', 'get /metrics',
];

describe('operations', () => {
  it('GET /healthz answers while the process is up', async () => {
    const response = await api.http.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks PostgreSQL and Redis and names the engine backend', async () => {
    const response = await api.http.get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok', database: 'ok', redis: 'ok', backend: expect.stringMatching(/^(js|wasm|native)$/),
      engine: { backend: response.body.backend, available: availableBackends(), faster: response.body.engine?.faster },
    });
    expect(response.body.engine.available[0]).toBe(response.body.backend);
    if (response.body.backend === 'native') expect(response.body.engine.faster).toBeNull();
    else expect(response.body.engine.faster).toEqual({ backend: 'native', how: expect.any(String) });
  });

  it('GET /readyz says when training is on a slower backend than native, and how to get native', async () => {
    const nativeBuilt = availableBackends().includes('native');
    const saved = process.env.BACKPROP_BACKENDS;
    process.env.BACKPROP_BACKENDS = 'wasm,js'; // the engine is read when the app is built
    let restricted;
    try {
      restricted = await api.buildAnother();
    } finally {
      if (saved === undefined) delete process.env.BACKPROP_BACKENDS;
      else process.env.BACKPROP_BACKENDS = saved;
    }
    const { body } = await supertest.agent(restricted.server).get('/readyz').expect(200);
    expect(body.backend).toBe('wasm');
    expect(body.engine).toEqual({
      backend: 'wasm',
      available: ['wasm', 'js'],
      faster: {
        backend: 'native',
        how: nativeBuilt
          ? 'add native to BACKPROP_BACKENDS or unset it (it is "wasm,js"; native is built here)'
          : expect.stringMatching(/libopenblas-dev && npm run build:native -w @trainyard\/backprop$|brew install openblas/),
      },
    });
    // The published schema carries the field, so a client (the dashboard) can rely on it.
    const openapi = (await api.http.get('/openapi.json').expect(200)).body;
    const ready = openapi.paths['/readyz'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(ready.properties.engine.properties)).toEqual(['backend', 'available', 'faster']);
  });

  it('GET /metrics counts queue entries whose job id a worker\'s database did not know', async () => {
    expect(sample(await scrape(), 'trainyard_queue_unknown_jobs')).toBe(0);
    try {
      await api.redis.incrby(unknownJobsKey(api.config.queueName), 3);
      expect(sample(await scrape(), 'trainyard_queue_unknown_jobs')).toBe(3);
    } finally {
      await api.redis.del(unknownJobsKey(api.config.queueName));
    }
  });

  it('GET /metrics answers Prometheus text with request latency by route and jobs by status', async () => {
    await api.http.get('/v1/jobs').set(api.alice.auth).expect(200);
    const response = await api.http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain('trainyard_http_request_duration_seconds_bucket{');
    expect(response.text).toMatch(/route="\/v1\/jobs"/);
    expect(response.text).toContain('trainyard_jobs{status="queued"} 0');
  });

  it('GET /metrics: jobs by status and queue depth move when a job is submitted, and the oldest wait is its age', async () => {
    const before = await scrape();
    const queued = sample(before, 'trainyard_jobs{status="queued"}')!;
    const waiting = sample(before, 'trainyard_queue_jobs{state="waiting"}')!;
    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB).expect(202);
    const after = await scrape();
    expect(sample(after, 'trainyard_jobs{status="queued"}')).toBe(queued + 1);
    expect(sample(after, 'trainyard_queue_jobs{state="waiting"}')).toBe(waiting + 1);
    const row = await api.prisma.job.findUniqueOrThrow({ where: { id: submitted.body.id } });
    const age = sample(after, 'trainyard_queue_oldest_waiting_seconds')!;
    expect(age).toBeGreaterThanOrEqual(0);
    // Bounded by the time since the row was written (the entry is added after the row).
    expect(age).toBeLessThanOrEqual((Date.now() - row.createdAt.getTime()) / 1000 + 0.001);
    await api.http.post(`/v1/jobs/${submitted.body.id}/cancel`).set(api.alice.auth).expect(200);
    const cancelled = await scrape();
    expect(sample(cancelled, 'trainyard_jobs{status="queued"}')).toBe(queued);
    expect(sample(cancelled, 'trainyard_jobs{status="cancelled"}')).toBeGreaterThanOrEqual(1);
    expect(sample(cancelled, 'trainyard_queue_jobs{state="waiting"}')).toBe(waiting);
  });

  it('GET /metrics: durations and samples/s come from finished and running rows in PostgreSQL', async () => {
    const durations = [10, 20, 30, 40, 50]; // seconds; p50 = 30, max = 50, mean samples/s = 3000
    const now = Date.now();
    for (const [i, seconds] of durations.entries()) {
      const { body } = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB).expect(202);
      await api.prisma.job.update({
        where: { id: body.id },
        data: { status: 'succeeded', startedAt: new Date(now - seconds * 1000), finishedAt: new Date(now), samplesPerSecond: 1000 * (i + 1) },
      });
    }
    const { body: running } = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB).expect(202);
    await api.prisma.job.update({ where: { id: running.id }, data: { status: 'running', startedAt: new Date(), samplesPerSecond: 1234.5 } });
    const text = await scrape();
    expect(sample(text, 'trainyard_jobs_finished_window')).toBe(durations.length);
    expect(sample(text, 'trainyard_job_duration_seconds{quantile="0.5"}')).toBeCloseTo(30, 6);
    expect(sample(text, 'trainyard_job_duration_seconds{quantile="1"}')).toBeCloseTo(50, 6);
    expect(sample(text, 'trainyard_finished_job_samples_per_second')).toBeCloseTo(3000, 6);
    expect(sample(text, 'trainyard_training_samples_per_second')).toBeCloseTo(1234.5, 6);
    expect(sample(text, 'trainyard_jobs{status="running"}')).toBe(1);
  });

  it('GET /metrics counts the BullMQ workers connected to the queue', async () => {
    const idle = sample(await scrape(), 'trainyard_workers')!;
    // A real worker on the queue, paused so it takes nothing.
    const worker = new Worker(api.config.queueName, async () => undefined, { connection: { url: api.config.redisUrl }, autorun: false });
    try {
      await worker.waitUntilReady();
      expect(sample(await scrape(), 'trainyard_workers')).toBeGreaterThan(idle);
    } finally {
      await worker.close();
    }
  });

  it('GET /metrics reuses one reading for the refresh interval (a scrape storm costs one query)', async () => {
    const cached = await api.buildAnother({ metricsRefreshMs: 3_600_000 });
    const { default: supertest } = await import('supertest');
    const first = sample(await scrape(supertest.agent(cached.server)), 'trainyard_jobs{status="queued"}')!;
    await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB).expect(202);
    expect(sample(await scrape(), 'trainyard_jobs{status="queued"}')).toBe(first + 1); // fresh reader sees it
    expect(sample(await scrape(supertest.agent(cached.server)), 'trainyard_jobs{status="queued"}')).toBe(first);
  });

  it('GET /openapi.json lists every route of the contract, generated from the route schemas', async () => {
    const response = await api.http.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const listed = Object.entries(response.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    for (const route of CONTRACT_ROUTES) expect(listed, route).toContain(route);
    // Bull Board stays out of it.
    expect(listed.some((route) => route.includes('/admin/queues'))).toBe(false);
    const job = response.body.paths['/v1/jobs/{id}'].get.responses['200'].content['application/json'].schema;
    for (const field of ['id', 'status', 'dataset', 'model', 'training', 'snapshots', 'metadata', 'progress', 'metrics', 'samplesPerSecond', 'backend', 'stoppedEarly', 'error', 'createdAt', 'startedAt', 'finishedAt', 'bestSnapshot', 'finalSnapshot']) {
      expect(job.properties, field).toHaveProperty(field);
    }
    expect(response.body.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('GET /docs serves the UI', async () => {
    const response = await api.http.get('/docs/').redirects(1);
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger');
  });
});

describe('errors in the contract shape', () => {
  it('an unknown route answers 404 JSON', async () => {
    const response = await api.http.get('/v2/nothing');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/v2/nothing') } });
  });

  it('a body that is not JSON answers 400', async () => {
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).set('Content-Type', 'application/json').send('{"dataset": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });

  it('a body of the wrong type answers 415', async () => {
    const response = await api.http.post('/v1/jobs').set(api.alice.auth).set('Content-Type', 'text/plain').send('hello');
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  it('a body over the limit answers 413', async () => {
    const small = await api.buildAnother({ limits: { ...api.config.limits, bodyLimitBytes: 2048 } });
    const { default: supertest } = await import('supertest');
    const response = await supertest(small.server)
      .post('/v1/jobs')
      .set(api.alice.auth)
      .send({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] }, metadata: { pad: 'x'.repeat(4096) } });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('a query string of the wrong type answers 400 with the path', async () => {
    const response = await api.http.get('/v1/jobs?limit=many').set(api.alice.auth);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: 'query.limit', message: expect.any(String) }]);
    const unknownStatus = await api.http.get('/v1/jobs?status=sleeping').set(api.alice.auth);
    expect(unknownStatus.status).toBe(400);
    expect(unknownStatus.body.error.details[0]).toEqual({ path: 'query.status', message: expect.stringContaining('queued') });
  });

  it('a foreign cursor answers 400', async () => {
    const response = await api.http.get('/v1/jobs?after=garbage').set(api.alice.auth);
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('query.after');
  });
});

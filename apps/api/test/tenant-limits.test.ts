// Per-tenant fairness limits at the API: open dataset uploads (counted in Redis, so two API processes agree)
// and the size of one predict batch as rows × model inputs.
import { request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadSlots } from '../src/datasets/upload-slots.ts';
import { finishJob, IRIS_JOB } from './fixtures.ts';
import { startTestApi, type TestApi, type Tenant } from './harness.ts';
import { REPO_ROOT } from './worker-process.ts';

const WEATHER = readFileSync(`${REPO_ROOT}node_modules/vega-datasets/data/seattle-weather.csv`);
const BOUNDARY = 'trainyard-test-boundary';

/** A multipart upload whose file part is sent in two halves: the second only when `finish` is called. */
function slowUpload(app: FastifyInstance, tenant: Tenant) {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="target"\r\n\r\nweather\r\n`
    + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="seattle-weather.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const body = Buffer.concat([head, WEATHER, tail]);
  const half = head.length + Math.floor(WEATHER.length / 2);
  const { port } = app.server.address() as AddressInfo;
  let outgoing!: ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    outgoing = httpRequest({
      host: '127.0.0.1', port, path: '/v1/datasets', method: 'POST',
      headers: { ...tenant.auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': body.length },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.write(body.subarray(0, half));
  });
  return {
    answer,
    finish: () => outgoing.end(body.subarray(half)),
    abort: () => outgoing.destroy(),
  };
}

describe('TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT', () => {
  let api: TestApi;
  let first: FastifyInstance;
  let second: FastifyInstance;
  let slots: UploadSlots;
  beforeAll(async () => {
    api = await startTestApi('upload_limit', { TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT: '2' });
    // Two API processes' worth of apps on one Redis, listening for raw sockets.
    [first, second] = [await api.buildAnother(), await api.buildAnother()];
    await first.listen({ port: 0, host: '127.0.0.1' });
    await second.listen({ port: 0, host: '127.0.0.1' });
    slots = new UploadSlots(api.redis, 2);
  });
  afterAll(async () => {
    await api?.close();
  });

  const upload = (app: FastifyInstance, tenant: Tenant) =>
    supertest(app.server).post('/v1/datasets').set(tenant.auth).field('target', 'weather').attach('file', WEATHER, 'seattle-weather.csv');

  it('answers 429 too_many_uploads with Retry-After past the limit, across API processes, for that tenant only', async () => {
    const open = [slowUpload(first, api.alice), slowUpload(second, api.alice)];
    await vi.waitFor(async () => expect(await slots.open(api.alice.id)).toBe(2), { timeout: 10_000, interval: 20 });

    for (const app of [first, second]) {
      const refused = await upload(app, api.alice);
      expect(refused.status, JSON.stringify(refused.body)).toBe(429);
      expect(refused.body.error.code).toBe('too_many_uploads');
      expect(refused.body.error.message).toContain('2 uploads of this tenant are in progress; at most 2 at once (TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT)');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another tenant is not affected; nor are the tenant's other routes.
    expect((await upload(second, api.bob)).status).toBe(201);
    expect((await supertest(first.server).get('/v1/datasets').set(api.alice.auth)).status).toBe(200);

    // A finished upload and an abandoned one both give their slot back.
    open[0].finish();
    expect((await open[0].answer).status).toBe(201);
    open[1].abort();
    await open[1].answer.catch(() => undefined);
    await vi.waitFor(async () => expect(await slots.open(api.alice.id)).toBe(0), { timeout: 10_000, interval: 20 });
    const after = await Promise.all([upload(first, api.alice), upload(second, api.alice)]);
    expect(after.map((response) => response.status)).toEqual([201, 201]);
    expect(await slots.open(api.alice.id)).toBe(0);
  });

  it('lets a slot whose process died go after its lease', async () => {
    const short = new UploadSlots(api.redis, 1, 200);
    const key = `trainyard:uploads:${api.bob.id}`;
    await api.redis.zadd(key, Date.now() + 200, 'a-process-that-died');
    expect(await short.open(api.bob.id)).toBe(1);
    await vi.waitFor(async () => expect(await short.open(api.bob.id)).toBe(0), { timeout: 5_000, interval: 50 });
  });
});

describe('TRAINYARD_MAX_PREDICT_CELLS', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('predict_cells', { TRAINYARD_MAX_PREDICT_CELLS: '40' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers 422 limit_exceeded above rows × model inputs, naming the limit and how many rows fit', async () => {
    const job = (await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB).expect(202)).body;
    await finishJob(api.prisma, job.id); // a 4-input model
    const row = [5.1, 3.5, 1.4, 0.2];
    const fits = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: Array(10).fill(row) });
    expect(fits.status, JSON.stringify(fits.body)).toBe(200);
    expect(fits.body.outputs).toHaveLength(10);

    const tooMany = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ inputs: Array(11).fill(row) });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toEqual({
      code: 'limit_exceeded',
      message: '11 rows × 4 model inputs = 44 cells; at most 40 per request (TRAINYARD_MAX_PREDICT_CELLS): send at most 10 rows at a time',
      details: [{ path: 'inputs', message: 'has 11 rows of 4 model inputs each' }],
    });
    const rows = Array(11).fill({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 });
    const tooManyRows = await api.http.post(`/v1/jobs/${job.id}/predict`).set(api.alice.auth).send({ rows });
    expect(tooManyRows.status).toBe(422);
    expect(tooManyRows.body.error.details).toEqual([{ path: 'rows', message: 'has 11 rows of 4 model inputs each' }]);
  });
});

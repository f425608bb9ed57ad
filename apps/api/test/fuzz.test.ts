// Property-based abuse: random and malformed bodies, headers, query strings, ids and uploads on every
// route. Whatever comes in, the API answers a non-5xx status in the contract's error shape, and keeps answering.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { fill, v1Routes, type Route } from './routes.ts';
import { finishJob, IRIS_JOB } from './fixtures.ts';

let api: TestApi;
let routes: Route[];
const ids = { job: '', dataset: '', snapshot: '' };
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

beforeAll(async () => {
  api = await startTestApi('fuzz', { TRAINYARD_BODY_LIMIT_BYTES: '65536' });
  routes = v1Routes(api.app);
  ids.dataset = (await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'd', format: 'csv', content: 'a,b,y\n1,2,0\n2,1,1\n', target: 'y', task: 'classification' })).body.id;
  ids.job = (await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB)).body.id;
  ids.snapshot = (await finishJob(api.prisma, ids.job)).finalSnapshotId;
});
afterAll(async () => api?.close());

function idFor(path: string): string {
  return path.startsWith('/v1/datasets') ? ids.dataset : path.startsWith('/v1/jobs') ? ids.job : ids.snapshot;
}

/** Never a 5xx; every error in the contract's shape. */
function expectSound(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, `${what} → ${response.statusCode} ${response.body.slice(0, 300)}`).toBeLessThan(500);
  if (response.statusCode >= 400) {
    const body = response.json();
    expect(typeof body.error?.code, what).toBe('string');
    expect(typeof body.error?.message, what).toBe('string');
  }
}

const authorization = () => api.alice.auth.Authorization;
const routeArb = () => fc.constantFrom(...routes.filter((route) => route.path !== '/v1/jobs/:id/events'));

describe('random input never breaks the API', () => {
  it('any JSON body on any route', async () => {
    await fc.assert(
      fc.asyncProperty(routeArb(), fc.jsonValue({ maxDepth: 4 }), async (route, body) => {
        const response = await api.app.inject({
          method: route.method.toUpperCase() as 'POST',
          url: fill(route.path, idFor(route.path)),
          headers: { authorization: authorization(), 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expectSound(response, `${route.method} ${route.path} ${JSON.stringify(body).slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('job submissions with the right keys and wrong values', async () => {
    const anything = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.integer({ min: -5, max: 100_000 }), fc.constantFrom('relu', 'softmax', 'builtin:iris', ids.dataset, ids.snapshot, null));
    const layer = fc.record({ units: fc.oneof(fc.integer({ min: -3, max: 64 }), anything), activation: fc.oneof(fc.constantFrom('linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'), anything) }, { requiredKeys: [] });
    const job = fc.record(
      {
        dataset: fc.oneof(fc.constantFrom('builtin:iris', 'builtin:xor', 'builtin:mnist', ids.dataset), anything),
        model: fc.record({ inputSize: anything, layers: fc.oneof(fc.array(layer, { maxLength: 4 }), anything) }, { requiredKeys: [] }),
        training: fc.dictionary(fc.constantFrom('epochs', 'batchSize', 'optimizer', 'loss', 'validationSplit', 'shuffle', 'seed', 'normalize', 'earlyStopping'), anything),
        snapshots: fc.dictionary(fc.constantFrom('everyEpochs', 'keep'), anything),
        initialWeights: anything,
        webhook: anything,
        metadata: anything,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(job, fc.option(fc.string({ maxLength: 300 })), async (body, key) => {
        const response = await api.app.inject({
          method: 'POST',
          url: '/v1/jobs',
          headers: { authorization: authorization(), ...(key === null ? {} : { 'idempotency-key': key }) },
          payload: body as object,
        });
        expectSound(response, JSON.stringify(body).slice(0, 300));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('any query string and any id', async () => {
    await fc.assert(
      fc.asyncProperty(routeArb(), fc.dictionary(fc.constantFrom('limit', 'after', 'status', 'dataset', 'format', 'which', 'snapshot', 'lastEventId', 'x'), fc.string()), fc.option(fc.string({ minLength: 1 })), async (route, query, id) => {
        const response = await api.app.inject({
          method: route.method.toUpperCase() as 'GET',
          url: fill(route.path, id ?? idFor(route.path)),
          query,
          headers: { authorization: authorization() },
          ...(route.method === 'post' ? { payload: {} } : {}),
        });
        expectSound(response, `${route.method} ${route.path} ${JSON.stringify(query)} ${id}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('any header value, authorization included', async () => {
    await fc.assert(
      fc.asyncProperty(routeArb(), fc.string(), fc.string(), fc.constantFrom('application/json', 'text/plain', 'multipart/form-data', 'application/octet-stream', 'application/x-www-form-urlencoded', 'nonsense'), async (route, auth, key, contentType) => {
        const response = await api.app.inject({
          method: route.method.toUpperCase() as 'POST',
          url: fill(route.path, idFor(route.path)),
          headers: { authorization: auth.replace(/[\r\n]/g, ''), 'idempotency-key': key.replace(/[\r\n]/g, ''), 'content-type': contentType, 'last-event-id': key.replace(/[\r\n]/g, '') },
          payload: '{}',
        });
        expectSound(response, `${route.method} ${route.path} auth=${JSON.stringify(auth)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('random bytes as datasets and weights, raw or in multipart', async () => {
    const bytes = fc.uint8Array({ maxLength: 2048 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/datasets', '/v1/snapshots'), bytes, fc.boolean(), fc.string({ maxLength: 20 }), async (url, payload, multipart, filename) => {
        const boundary = 'fuzzboundary';
        const body = multipart
          ? Buffer.concat([
              Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\ny\r\n--${boundary}\r\nContent-Disposition: form-data; name="task"\r\n\r\nclassification\r\n`),
              Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename.replace(/["\r\n]/g, '')}.csv"\r\nContent-Type: application/octet-stream\r\n\r\n`),
              Buffer.from(payload),
              Buffer.from(`\r\n--${boundary}--\r\n`),
            ])
          : Buffer.from(payload);
        const response = await api.app.inject({
          method: 'POST',
          url,
          headers: { authorization: authorization(), 'content-type': multipart ? `multipart/form-data; boundary=${boundary}` : 'application/octet-stream' },
          payload: body,
        });
        expectSound(response, `${url} multipart=${multipart} ${body.length} bytes`);
      }),
      { numRuns: RUNS },
    );
  });

  it('truncated multipart bodies', async () => {
    const full = Buffer.from('--b\r\nContent-Disposition: form-data; name="target"\r\n\r\ny\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,y\n1,0\n2,1\n\r\n--b--\r\n');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: full.length }), fc.constantFrom('/v1/datasets', '/v1/snapshots'), async (cut, url) => {
        const response = await api.app.inject({
          method: 'POST',
          url,
          headers: { authorization: authorization(), 'content-type': 'multipart/form-data; boundary=b' },
          payload: full.subarray(0, cut),
        });
        expectSound(response, `${url} cut at ${cut}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('still answers afterwards', async () => {
    expect((await api.http.get('/readyz')).status).toBe(200);
    const job = await api.http.post('/v1/jobs').set(api.alice.auth).send(IRIS_JOB);
    expect(job.status).toBe(202);
    expect((await api.http.get(`/v1/jobs/${job.body.id}`).set(api.alice.auth)).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@trainyard/backprop';
import { startTestApi, type TestApi } from './harness.ts';
import { fill, v1Routes } from './routes.ts';
import { finishJob, IRIS_JOB, irisModel } from './fixtures.ts';

let api: TestApi;
const bobs = { dataset: '', job: '', snapshot: '', queuedJob: '' };

beforeAll(async () => {
  api = await startTestApi('tenancy');
  const bob = api.bob.auth;
  bobs.dataset = (await api.http.post('/v1/datasets').set(bob).send({ name: 'bobs', format: 'csv', content: 'a,b,y\n1,2,0\n2,1,1\n', target: 'y', task: 'classification' })).body.id;
  bobs.job = (await api.http.post('/v1/jobs').set(bob).send(IRIS_JOB)).body.id;
  await finishJob(api.prisma, bobs.job);
  bobs.queuedJob = (await api.http.post('/v1/jobs').set(bob).send({ dataset: bobs.dataset, model: { layers: [{ units: 2, activation: 'softmax' }] } })).body.id;
  bobs.snapshot = (await api.http.post('/v1/snapshots').set(bob).set('Content-Type', 'application/octet-stream').send(Buffer.from(encodeSafetensors(irisModel())))).body.id;
});
afterAll(async () => api?.close());

/** A body each route accepts, so that only the id decides the answer. */
const BODIES: Record<string, object> = { '/v1/jobs/:id/predict': { inputs: [[5.1, 3.5, 1.4, 0.2]] } };

describe('another tenant\'s ids answer 404 on every route', () => {
  it('walks every /v1 route that takes an id', async () => {
    const routes = v1Routes(api.app).filter((route) => route.path.includes(':id'));
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const route of routes) {
      const ids = route.path.startsWith('/v1/datasets') ? [bobs.dataset] : route.path.startsWith('/v1/jobs') ? [bobs.job, bobs.queuedJob] : [bobs.snapshot];
      for (const id of ids) {
        const request = api.http[route.method as 'get'](fill(route.path, id)).set(api.alice.auth);
        const response = await (BODIES[route.path] ? request.send(BODIES[route.path]) : request);
        expect(response.status, `${route.method} ${route.path} with ${id}`).toBe(404);
        expect(response.body.error.code).toBe('not_found');
      }
    }
  });

  it('leaves the other tenant\'s resources untouched', async () => {
    expect((await api.http.get(`/v1/jobs/${bobs.queuedJob}`).set(api.bob.auth)).body).toMatchObject({ status: 'queued', cancelRequested: false });
    expect((await api.http.get(`/v1/datasets/${bobs.dataset}`).set(api.bob.auth)).status).toBe(200);
    expect((await api.http.get(`/v1/jobs/${bobs.job}`).set(api.bob.auth)).body.status).toBe('succeeded');
    expect((await api.http.get(`/v1/snapshots/${bobs.snapshot}`).set(api.bob.auth)).status).toBe(200);
  });

  it('lists only the tenant\'s own resources', async () => {
    const jobs = await api.http.get('/v1/jobs').set(api.alice.auth);
    expect(jobs.body.data).toEqual([]);
    const datasets = await api.http.get('/v1/datasets').set(api.alice.auth);
    expect(datasets.body.data.every((dataset: { builtin: boolean }) => dataset.builtin)).toBe(true);
  });

  it('refuses another tenant\'s dataset or snapshot inside a job body', async () => {
    const dataset = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, dataset: bobs.dataset });
    expect(dataset.status).toBe(422);
    const weights = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, initialWeights: bobs.snapshot });
    expect(weights.status).toBe(422);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { IRIS_JOB } from './fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('idempotency');
});
afterAll(async () => api?.close());

const post = (key: string, body: object, auth = api.alice.auth) => api.http.post('/v1/jobs').set(auth).set('Idempotency-Key', key).send(body);
const jobsOf = (tenantId: string) => api.prisma.job.count({ where: { tenantId } });

describe('Idempotency-Key on POST /v1/jobs', () => {
  it('a retry with the same key and body answers the first job with 200, and makes no second job', async () => {
    const before = await jobsOf(api.alice.id);
    const first = await post('retry-1', IRIS_JOB);
    expect(first.status).toBe(202);
    // Key order does not make another request.
    const second = await post('retry-1', { model: IRIS_JOB.model, dataset: IRIS_JOB.dataset });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await jobsOf(api.alice.id)).toBe(before + 1);
  });

  it('the same key with another body answers 409', async () => {
    expect((await post('retry-2', IRIS_JOB)).status).toBe(202);
    const other = await post('retry-2', { ...IRIS_JOB, metadata: { attempt: 2 } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
  });

  it('concurrent requests with one key make one job, and all answer it', async () => {
    const before = await jobsOf(api.alice.id);
    const responses = await Promise.all(Array.from({ length: 8 }, () => post('race-1', IRIS_JOB)));
    const ids = new Set(responses.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(await jobsOf(api.alice.id)).toBe(before + 1);
  });

  it('keys belong to one tenant', async () => {
    const alices = await post('shared-key', IRIS_JOB);
    const bobs = await post('shared-key', IRIS_JOB, api.bob.auth);
    expect([alices.status, bobs.status]).toEqual([202, 202]);
    expect(bobs.body.id).not.toBe(alices.body.id);
  });

  it('a request that failed keeps nothing, so the key can be used again', async () => {
    const invalid = await post('after-failure', { ...IRIS_JOB, model: { layers: [{ units: 2, activation: 'softmax' }] } });
    expect(invalid.status).toBe(422);
    expect((await post('after-failure', IRIS_JOB)).status).toBe(202);
  });

  it('a key is kept 24 hours, then forgotten', async () => {
    const first = await post('expiring', IRIS_JOB);
    const record = await api.prisma.idempotencyRecord.findFirstOrThrow({ where: { tenantId: api.alice.id, key: 'expiring' } });
    const hours = (record.expiresAt.getTime() - record.createdAt.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(24, 3);
    await api.prisma.idempotencyRecord.updateMany({ where: { key: 'expiring' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const later = await post('expiring', IRIS_JOB);
    expect(later.status).toBe(202);
    expect(later.body.id).not.toBe(first.body.id);
  });

  it('a malformed key answers 400', async () => {
    const response = await post('x'.repeat(300), IRIS_JOB);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });
});

// With TRAINYARD_QUEUE unset, the API and a worker process each derive the queue name from DATABASE_URL, and
// agree: a job submitted through the API is trained. Two deployments (two databases) get two queues.
import { loadConfig } from '@trainyard/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRIS_JOB } from './fixtures.ts';
import { startTestApi, type TestApi } from './harness.ts';
import { startWorker, type TestWorker } from './worker-process.ts';

const UNSET = { TRAINYARD_QUEUE: '' };
let api: TestApi;
let other: TestApi;
let worker: TestWorker;

beforeAll(async () => {
  [api, other] = await Promise.all([startTestApi('queue_name', UNSET), startTestApi('queue_name_other', UNSET)]);
  worker = startWorker(api, UNSET);
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([api?.close(), other?.close()]);
});

describe('the default queue name', () => {
  it('is derived from the database, one per deployment', () => {
    expect(api.config.queueName).toBe(loadConfig({ DATABASE_URL: api.db.url }).queueName);
    expect(api.config.queueName).toMatch(new RegExp(`^trainyard-jobs-test\\.${api.db.schema}-[0-9a-f]{10}$`));
    expect(other.config.queueName).not.toBe(api.config.queueName);
  });

  it('is the same in the API that enqueues and the worker that trains', async () => {
    const { body } = await api.http.post('/v1/jobs').set(api.alice.auth).send({ ...IRIS_JOB, training: { epochs: 3 } }).expect(202);
    expect(await api.queue.state(body.id)).not.toBeNull();
    const deadline = Date.now() + 120_000;
    let status = 'queued';
    while (status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await api.http.get(`/v1/jobs/${body.id}`).set(api.alice.auth).expect(200)).body.status;
      expect(status, worker.log()).not.toBe('failed');
    }
    expect(status, worker.log()).toBe('succeeded');
    expect(worker.log()).not.toMatch(/not in this worker's database/);
  });
});

// Two Trainyard deployments (two databases) on one Redis: by default each has its own queue; when they are
// made to share one anyway, a worker never silently drops the other deployment's job ids.
import { randomBytes } from 'node:crypto';
import { closeRedis, createRedis, unknownJobCount } from '@trainyard/queue';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createWorld, REDIS_URL, type World } from './world.ts';
import type { LogLine, WorkerProcess } from './worker-process.ts';

const XOR_JOB = {
  dataset: 'builtin:xor',
  layers: [{ units: 8, activation: 'tanh' as const }, { units: 1, activation: 'sigmoid' as const }],
  training: { epochs: 5, batchSize: 4 },
};
const NOT_IN_DATABASE = /is not in this worker's database/;

const redis = createRedis(REDIS_URL);
const worlds: World[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});
afterAll(() => closeRedis(redis));

async function world(name: string, queueName?: string | null): Promise<World> {
  const created = await createWorld(name, { queueName });
  worlds.push(created);
  return created;
}

const mentions = (worker: WorkerProcess, jobId: string) => worker.lines.filter((line: LogLine) => line.jobId === jobId);

describe('two deployments on one Redis', () => {
  it('get their own queues when TRAINYARD_QUEUE is unset, and each worker trains only its own jobs', async () => {
    const [a, b] = [await world('deploy_a', null), await world('deploy_b', null)];
    expect(a.queue.name).toMatch(/^trainyard-jobs-test\.test_worker_deploy_a_[0-9a-f]+-[0-9a-f]{10}$/);
    expect(b.queue.name).not.toBe(a.queue.name);
    const [workerA, workerB] = await Promise.all([a.spawnWorker(), b.spawnWorker()]);
    // Each worker derived from its DATABASE_URL the very name the submitting side used.
    expect((await workerA.ready()).queue).toBe(a.queue.name);
    expect((await workerB.ready()).queue).toBe(b.queue.name);

    const [jobA, jobB] = [await a.submit(XOR_JOB), await b.submit(XOR_JOB)];
    await a.waitForJob(jobA.id, 'succeeded in deployment a', (job) => job.status === 'succeeded');
    await b.waitForJob(jobB.id, 'succeeded in deployment b', (job) => job.status === 'succeeded');
    expect(mentions(workerA, jobB.id)).toEqual([]);
    expect(mentions(workerB, jobA.id)).toEqual([]);
    for (const worker of [workerA, workerB]) expect(worker.lines.filter((line) => NOT_IN_DATABASE.test(line.msg ?? ''))).toEqual([]);
  });

  it('sharing one queue by mistake: a worker reports, counts and puts back a job id its database does not know, and the owner trains it', async () => {
    const shared = `test-shared-${randomBytes(6).toString('hex')}`;
    const [owner, other] = [await world('owner', shared), await world('other', shared)];
    const otherWorker = await other.spawnWorker({ TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS: '600' });
    const { id } = await owner.submit(XOR_JOB);

    const report = await otherWorker.waitForLog((line) => line.jobId === id && NOT_IN_DATABASE.test(line.msg ?? ''));
    expect(report.level).toBe(50); // pino's error
    expect(report).toMatchObject({ queue: shared, database: expect.stringContaining(`schema=${other.db.schema}`) });
    expect(report.msg).toMatch(/TRAINYARD_QUEUE/);
    expect(report.msg).toMatch(/put back/);
    await other.waitFor('the entry is delayed, not dropped', async () => (await owner.queue.state(id)) === 'delayed');
    expect(await unknownJobCount(redis, shared)).toBeGreaterThanOrEqual(1);
    expect((await owner.job(id)).status).toBe('queued');

    await owner.spawnWorker();
    await owner.waitForJob(id, 'trained by its own deployment', (job) => job.status === 'succeeded');
  });

  it('fails the entry with the reason once it has waited TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS, leaving the owner its row', async () => {
    const shared = `test-shared-${randomBytes(6).toString('hex')}`;
    const [owner, other] = [await world('owner_late', shared), await world('other_late', shared)];
    const otherWorker = await other.spawnWorker({ TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS: '0' });
    const { id } = await owner.submit(XOR_JOB);

    await other.waitFor('the entry is failed', async () => (await owner.queue.state(id)) === 'failed');
    const entry = await owner.queue.bull.getJob(id);
    expect(entry?.failedReason).toMatch(/^unknown_job: job \S+ is not in this worker's database .* another Trainyard deployment shares this Redis queue/);
    expect(mentions(otherWorker, id).some((line) => line.level === 50 && /failed \(unknown_job\)/.test(line.msg ?? ''))).toBe(true);
    // The owner's row is untouched: its own reconciler queues it again for its workers.
    expect((await owner.job(id)).status).toBe('queued');
  });
});

// Promises 3 and 4 of issue 5: PostgreSQL is the source of truth. When Redis loses everything (FLUSHALL, or
// a restart without persistence) or never got the job (the API died between writing the row and enqueueing
// it), the reconciler queues every queued/running job again and each one ends.
import type { Activation } from '@trainyard/backprop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '@trainyard/queue/testing';
import { decodeWeights, sameBits, uninterruptedRun } from './reference-run.ts';
import type { WorkerProcess } from './worker-process.ts';
import { createWorld, type World } from './world.ts';

const LAYERS: { units: number; activation: Activation }[] = [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }];
// A job of a few seconds (MNIST epochs of tens of milliseconds): Redis is lost while it trains.
const LONG = { dataset: 'builtin:mnist', layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] as typeof LAYERS };
const ended = (status: string) => ['succeeded', 'failed', 'cancelled'].includes(status);

describe('Redis loses the queue', () => {
  let redis: PrivateRedis;
  let world: World;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
    world = await createWorld('redis', { redisUrl: redis.url });
  });
  afterAll(async () => {
    await world?.close();
    await redis?.kill();
  });

  async function expectOnePointPerEpoch(id: string, epochs: number) {
    const points = await world.db.prisma.metricPoint.findMany({ where: { jobId: id }, orderBy: { step: 'asc' } });
    expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
  }

  it('runs a job whose row was written but never enqueued (API killed mid-submit)', async () => {
    const { id } = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: { epochs: 3 } }, { enqueue: false });
    expect(await world.queue.state(id)).toBeNull();
    const worker = await world.spawnWorker();
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('succeeded');
    expect(worker.lines.some((line) => line.msg === 'reconciler re-queued jobs Redis did not hold')).toBe(true);
    await worker.stop();
  });

  it('re-queues queued jobs after FLUSHALL', async () => {
    const a = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: { epochs: 3 } });
    const b = await world.submit({ dataset: 'builtin:iris', layers: LAYERS, training: { epochs: 3 } });
    await redis.flushAll();
    expect(await world.queue.state(a.id)).toBeNull();
    const worker = await world.spawnWorker();
    for (const { id } of [a, b]) expect((await world.waitForJob(id, 'an end', (row) => ended(row.status))).status).toBe('succeeded');
    await worker.stop();
  });

  it('finishes a running job after FLUSHALL, with one metric point per epoch', async () => {
    const epochs = 100;
    const { id } = await world.submit({ ...LONG, training: { epochs, batchSize: 32 } });
    const worker = await world.spawnWorker();
    await world.waitForJob(id, 'past epoch 3', (job) => job.epoch >= 3);
    await redis.flushAll();
    await worker.waitForLog((line) => line.msg === 'reconciler re-queued jobs Redis did not hold');
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('succeeded');
    await expectOnePointPerEpoch(id, epochs);
    await worker.stop();
  });

  it('finishes a running job after Redis restarts empty (the worker reconnects)', async () => {
    const epochs = 100;
    const { id } = await world.submit({ ...LONG, training: { epochs, batchSize: 32 } });
    const worker = await world.spawnWorker();
    await world.waitForJob(id, 'past epoch 3', (job) => job.epoch >= 3);
    await redis.kill();
    await redis.launch();
    const job = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(job.status).toBe('succeeded');
    await expectOnePointPerEpoch(id, epochs);
    await worker.stop();
  });

  it('lets an idle worker resume the re-queued job while the first one, fenced out, stops writing', async () => {
    const epochs = 100;
    const job = { ...LONG, training: { epochs, batchSize: 32 } };
    // Both workers are up before the job starts (spawning one takes seconds on a loaded machine).
    // The default lock: here the takeover must come from the reconciler after FLUSHALL, not from a 2 s lock
    // that a loaded machine let expire (that would add attempts and is another suite's subject).
    const lock = { WORKER_LOCK_DURATION_MS: '15000', WORKER_STALLED_INTERVAL_MS: '5000' };
    const workers = await Promise.all([world.spawnWorker(lock), world.spawnWorker(lock)]);
    const { id, training } = await world.submit(job);
    await world.waitForJob(id, 'past epoch 3', (row) => row.epoch >= 3);
    const holds = (worker: WorkerProcess) => worker.lines.some((line) => line.msg === 'starting job' && line.jobId === id);
    const first = workers.find(holds)!;
    const second = workers.find((worker) => !holds(worker))!;
    await redis.flushAll();
    await second.waitForLog((line) => line.msg === 'resuming job' && line.jobId === id);
    await first.waitForLog((line) => line.msg === 'another worker took this job over; stopped without writing' && line.jobId === id);
    const done = await world.waitForJob(id, 'an end', (row) => ended(row.status));
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    await expectOnePointPerEpoch(id, epochs);
    const final = await world.db.prisma.snapshot.findUniqueOrThrow({ where: { id: done.finalSnapshotId! } });
    expect(sameBits(decodeWeights(final.weights), await uninterruptedRun(job.dataset, LONG.layers, training))).toBe(true);
    await first.stop();
    await second.stop();
  });
});

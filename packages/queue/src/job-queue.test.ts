import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedis, closeRedis } from './connection.ts';
import { JobQueue } from './job-queue.ts';
import { QueueSubscriber } from './subscriber.ts';
import { unknownJobCount, unknownJobsKey } from './unknown-jobs.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('JobQueue', () => {
  let queue: JobQueue;
  beforeEach(() => {
    queue = new JobQueue({ name: `test-queue-${randomBytes(6).toString('hex')}`, redisUrl: REDIS_URL });
  });
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
    await queue.bull.obliterate({ force: true }).catch(() => {});
    await queue.close();
  });

  it('uses our job id as the BullMQ id, so enqueueing twice keeps one job', async () => {
    expect(await queue.enqueue('job_a')).toBe('added');
    expect(await queue.enqueue('job_a')).toBe('already_queued');
    expect((await queue.bull.getJobCounts('waiting')).waiting).toBe(1);
    const job = await queue.bull.getJob('job_a');
    expect(job?.data).toEqual({ jobId: 'job_a' });
  });

  it('rejects an id that is not a job id', async () => {
    await expect(queue.enqueue('')).rejects.toThrow(/jobId/);
    await expect(queue.enqueue('a b')).rejects.toThrow(/jobId/);
  });

  it('replaces a finished BullMQ entry, so a job can run again after a hand-back or a reconcile', async () => {
    await queue.enqueue('job_b');
    const worker = new Worker(queue.name, async () => 'done', { connection: createRedis(REDIS_URL), autorun: false });
    const done = new Promise((resolve) => worker.once('completed', resolve));
    worker.run();
    await done;
    await worker.close();
    expect(await queue.state('job_b')).toBe('completed');
    expect(await queue.enqueue('job_b')).toBe('replaced');
    expect(await queue.state('job_b')).toBe('waiting');
  });

  it('bounds what Redis keeps: finished jobs by count and age, the event stream by length', async () => {
    const options = queue.bull.defaultJobOptions;
    expect(options.removeOnComplete).toEqual({ count: queue.retention.keepCompleted, age: queue.retention.keepAgeSeconds });
    expect(options.removeOnFail).toEqual({ count: queue.retention.keepFailed, age: queue.retention.keepAgeSeconds });
    await queue.enqueue('job_c');
    const redis = createRedis(REDIS_URL);
    try {
      const maxLen = await redis.hget(`bull:${queue.name}:meta`, 'opts.maxLenEvents');
      expect(Number(maxLen)).toBe(queue.retention.eventsMaxLen);
    } finally {
      await closeRedis(redis);
    }
  });

  it('removes a waiting job and reports held ids', async () => {
    await queue.enqueue('job_d');
    await queue.enqueue('job_e');
    expect(await queue.held(['job_d', 'job_e', 'job_f'])).toEqual(new Set(['job_d', 'job_e']));
    expect(await queue.remove('job_d')).toBe(true);
    expect(await queue.state('job_d')).toBeNull();
    expect(await queue.remove('job_d')).toBe(true);
    expect(await queue.held(['job_d', 'job_e'])).toEqual(new Set(['job_e']));
  });

  it('delivers cancel requests and event notifications to subscribers in other connections', async () => {
    const subscriber = new QueueSubscriber(REDIS_URL);
    try {
      const cancels: string[] = [];
      const events: string[] = [];
      const stopCancel = await subscriber.onCancel((jobId) => cancels.push(jobId));
      await subscriber.onJobEvent('job_g', (eventId) => events.push(eventId));
      await subscriber.onJobEvent('job_h', (eventId) => events.push(`h:${eventId}`));
      await queue.requestCancel('job_g');
      await queue.publishEvent('job_g', 41n);
      await queue.publishEvent('job_h', 7);
      await waitFor(() => cancels.length === 1 && events.length === 2);
      expect(cancels).toEqual(['job_g']);
      expect(events.sort()).toEqual(['41', 'h:7']);
      await stopCancel();
      await stopCancel();
      await queue.requestCancel('job_i');
      await queue.publishEvent('job_g', 42);
      await waitFor(() => events.length === 3);
      expect(cancels).toEqual(['job_g']);
    } finally {
      await subscriber.close();
      await subscriber.close();
    }
  });

  it('does not remove a job a worker holds', async () => {
    await queue.enqueue('job_j');
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      const worker = new Worker(queue.name, () => {
        resolve();
        return new Promise<void>((done) => (release = done));
      }, { connection: createRedis(REDIS_URL) });
      cleanup.push(() => worker.close());
    });
    await started;
    expect(await queue.state('job_j')).toBe('active');
    expect(await queue.remove('job_j')).toBe(false);
    expect(await queue.enqueue('job_j')).toBe('already_queued');
    release();
  });

  it('counts the job ids workers took off the queue but their database did not know, per queue name', async () => {
    const redis = createRedis(REDIS_URL);
    const other = new JobQueue({ name: `${queue.name}-other`, redisUrl: REDIS_URL });
    try {
      expect(await unknownJobCount(redis, queue.name)).toBe(0);
      expect(await queue.recordUnknownJob()).toBe(1);
      expect(await queue.recordUnknownJob()).toBe(2);
      expect(await unknownJobCount(redis, queue.name)).toBe(2);
      expect(await unknownJobCount(redis, other.name)).toBe(0);
    } finally {
      await redis.del(unknownJobsKey(queue.name));
      await closeRedis(redis);
      await other.close();
    }
  });

  it('closes idempotently', async () => {
    await Promise.all([queue.close(), queue.close()]);
    await queue.close();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

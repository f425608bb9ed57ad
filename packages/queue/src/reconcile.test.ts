import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from './job-queue.ts';
import { reconcile } from './reconcile.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('reconcile', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'reconcile' });
    queue = new JobQueue({ name: `test-reconcile-${randomBytes(6).toString('hex')}`, redisUrl: REDIS_URL });
    await db.prisma.tenant.create({ data: { id: 'ten_1', name: 't', webhookSecret: 'secret' } });
  });
  afterAll(async () => {
    await queue?.bull.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    await db?.drop();
  });

  async function insertJob(id: string, status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled') {
    await db.prisma.job.create({ data: { id, tenantId: 'ten_1', datasetId: 'builtin:iris', status, spec: {}, epochs: 1 } });
  }

  it('enqueues exactly the queued and running jobs that Redis lost, and nothing twice', async () => {
    await insertJob('job_q1', 'queued');
    await insertJob('job_q2', 'queued');
    await insertJob('job_r1', 'running');
    await insertJob('job_s1', 'succeeded');
    await insertJob('job_f1', 'failed');
    await insertJob('job_c1', 'cancelled');
    await queue.enqueue('job_q1');

    const first = await reconcile(db.prisma, queue, 2);
    expect(first.checked).toBe(3);
    expect(first.enqueued.sort()).toEqual(['job_q2', 'job_r1']);
    expect(await queue.held(['job_q1', 'job_q2', 'job_r1', 'job_s1', 'job_f1', 'job_c1'])).toEqual(
      new Set(['job_q1', 'job_q2', 'job_r1']),
    );

    // Everything is held now: a second pass changes nothing.
    expect((await reconcile(db.prisma, queue)).enqueued).toEqual([]);
  });

  it('recovers after Redis lost the queue, also when several processes reconcile at once', async () => {
    await queue.bull.obliterate({ force: true });
    const other = new JobQueue({ name: queue.name, redisUrl: REDIS_URL });
    try {
      const results = await Promise.all([reconcile(db.prisma, queue), reconcile(db.prisma, other), reconcile(db.prisma, queue)]);
      for (const result of results) expect(result.checked).toBe(3);
      expect(await queue.held(['job_q1', 'job_q2', 'job_r1'])).toEqual(new Set(['job_q1', 'job_q2', 'job_r1']));
      expect((await queue.bull.getJobCounts('waiting')).waiting).toBe(3);
    } finally {
      await other.close();
    }
  });
});

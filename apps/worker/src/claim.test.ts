import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { JobQueue } from '@trainyard/queue';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJob, endUnclaimed } from './claim.ts';
import { LeaseLostError } from './job-failure.ts';
import { JobWriter } from './job-writer.ts';

const log = pino({ level: 'silent' });

describe('claiming a job and fencing its writes', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'worker_claim' });
    queue = new JobQueue({ name: `test-claim-${randomBytes(6).toString('hex')}` });
    await db.prisma.tenant.create({ data: { id: 'ten_1', name: 't', webhookSecret: 's' } });
  });
  afterAll(async () => {
    await queue?.close();
    await db?.drop();
  });

  const insert = (id: string, status: 'queued' | 'running' | 'succeeded', attempts = 0) =>
    db.prisma.job.create({ data: { id, tenantId: 'ten_1', datasetId: 'builtin:iris', status, spec: {}, epochs: 1, attempts } });
  const writer = (jobId: string, lease: number) =>
    new JobWriter({ prisma: db.prisma, queue, webhooks: null, log, jobId, tenantId: 'ten_1', lease, epochs: 1, snapshots: { everyEpochs: 1, keep: 1 }, replayOf: null, sweep: null });
  const progress = { type: 'progress', epoch: 0, step: 3, samplesPerSecond: 10 } as const;

  it('moves a queued job to running with lease 1, and only once', async () => {
    await insert('job_q', 'queued');
    expect(await claimJob(db.prisma, 'job_q', 'queued', 0)).toEqual({ kind: 'claimed', lease: 1, resumed: false, cancelRequested: false });
    expect((await claimJob(db.prisma, 'job_q', 'queued', 0)).kind).toBe('skip');
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: 'job_q' } });
    expect(row.status).toBe('running');
    expect(row.startedAt).not.toBeNull();
  });

  it('resumes a running job with a new lease that fences out the previous holder', async () => {
    await insert('job_r', 'running', 1);
    const old = writer('job_r', 1);
    await old.record([progress]);
    const claim = await claimJob(db.prisma, 'job_r', 'running', 1);
    expect(claim).toMatchObject({ kind: 'claimed', lease: 2, resumed: true });
    await expect(old.record([{ ...progress, step: 5 }])).rejects.toBeInstanceOf(LeaseLostError);
    await expect(old.failed('internal', 'stale holder')).rejects.toBeInstanceOf(LeaseLostError);
    await writer('job_r', 2).record([{ ...progress, step: 7 }]);
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: 'job_r' } });
    expect(row).toMatchObject({ status: 'running', step: 7, attempts: 2, errorCode: null });
    // The stale holder's progress event was rolled back with its write.
    const steps = (await db.prisma.jobEvent.findMany({ where: { jobId: 'job_r' }, orderBy: { id: 'asc' } })).map((e) => (e.data as { step: number }).step);
    expect(steps).toEqual([3, 7]);
  });

  it('ends an unclaimed job with a status event, never a finished one', async () => {
    await insert('job_u', 'queued');
    expect(await endUnclaimed(db.prisma, { queue, webhooks: null, log }, 'job_u', 'failed', { code: 'invalid_spec', message: 'no' })).toBe(true);
    const row = await db.prisma.job.findUniqueOrThrow({ where: { id: 'job_u' } });
    expect(row).toMatchObject({ status: 'failed', errorCode: 'invalid_spec', errorMessage: 'no' });
    const event = await db.prisma.jobEvent.findFirstOrThrow({ where: { jobId: 'job_u' } });
    expect(event.data).toMatchObject({ status: 'failed', error: { code: 'invalid_spec', message: 'no' } });
    await insert('job_s', 'succeeded');
    expect(await endUnclaimed(db.prisma, { queue, webhooks: null, log }, 'job_s', 'cancelled', null)).toBe(false);
    expect(await db.prisma.jobEvent.count({ where: { jobId: 'job_s' } })).toBe(0);
  });
});

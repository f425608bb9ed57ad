// One tenant cannot take every worker: at most TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT of its jobs train at
// once, across all workers. A job past the limit is not started: it goes back to the queue, delayed, and
// the worker takes the next entry (another tenant's, often) meanwhile.
import type { Prisma, PrismaClient } from '@trainyard/db';
import { DelayedError, type Job as BullJob } from 'bullmq';
import type { JobPayload } from '@trainyard/queue';

/** The advisory-lock class of "starting a job of tenant X" (the object id is hashtext(tenantId)). */
const TENANT_START_LOCK = 0x54_79_72_6a; // 'Tyrj'

/** A job past its tenant's limit comes back after this, plus up to TENANT_BUSY_JITTER_MS so retries spread out. */
export const TENANT_BUSY_RETRY_MS = 2_000;
const TENANT_BUSY_JITTER_MS = 1_000;

export interface TenantLimit {
  tenantId: string;
  maxRunning: number;
}

/** The tenant's running jobs other than `jobId`. */
export function runningJobsOfTenant(db: PrismaClient | Prisma.TransactionClient, tenantId: string, jobId: string): Promise<number> {
  return db.job.count({ where: { tenantId, status: 'running', id: { not: jobId } } });
}

/**
 * Inside the claim's transaction: serialises the starts of one tenant's jobs (so two workers cannot both see
 * room for one more), then answers how many of its jobs run. Released at commit.
 */
export async function lockTenantStarts(tx: Prisma.TransactionClient, { tenantId }: TenantLimit, jobId: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TENANT_START_LOCK}::int, hashtext(${tenantId}))`;
  return runningJobsOfTenant(tx, tenantId, jobId);
}

/** Back to the queue for later (BullMQ expects DelayedError after moveToDelayed); neither a start nor an attempt. */
export async function leaveForLater(bullJob: BullJob<JobPayload>, token: string | undefined): Promise<never> {
  await bullJob.moveToDelayed(Date.now() + TENANT_BUSY_RETRY_MS + Math.floor(Math.random() * TENANT_BUSY_JITTER_MS), token);
  throw new DelayedError();
}

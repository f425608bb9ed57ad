// Taking a job for this worker. queued → running is the state machine's move; a job found `running` was
// held by a worker that died (or lost Redis): it is resumed by bumping `attempts`, which is also the fencing
// lease every later write checks, so the old holder (if it still lives) can no longer write.
import { transitionJob, type JobStatus, type Prisma, type PrismaClient } from '@trainyard/db';
import { continueSweepOf } from './sweep-trials.ts';
import { EventBatch, type Announcer } from './job-events.ts';
import type { JobErrorCode } from './job-failure.ts';
import { lockTenantStarts, type TenantLimit } from './tenant-limit.ts';

export type Claim =
  | { kind: 'claimed'; lease: number; resumed: boolean; cancelRequested: boolean }
  /** Nothing to do: the job is gone, finished, or another worker took it first. */
  | { kind: 'skip'; reason: string }
  /** Not started: its tenant already has `running` jobs training (the limit); a resume is never refused. */
  | { kind: 'tenant_busy'; running: number };

export async function claimJob(prisma: PrismaClient, jobId: string, from: JobStatus, attempts: number, limit?: TenantLimit): Promise<Claim> {
  return prisma.$transaction(async (tx) => {
    if (limit !== undefined && from === 'queued') {
      const running = await lockTenantStarts(tx, limit, jobId);
      if (running >= limit.maxRunning) return { kind: 'tenant_busy', running } as const;
    }
    const moved = from === 'queued'
      ? await transitionJob(tx, jobId, 'running')
      : (await tx.job.updateMany({ where: { id: jobId, status: 'running', attempts }, data: { attempts: { increment: 1 } } })).count === 1;
    if (!moved) return { kind: 'skip', reason: `another worker moved the job first (it was ${from})` } as const;
    // The row is locked by our update until commit: this read sees our own attempts value.
    const row = await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: { attempts: true, cancelRequested: true } });
    return { kind: 'claimed', lease: row.attempts, resumed: from === 'running', cancelRequested: row.cancelRequested } as const;
  });
}

/**
 * Ends a job this worker has not claimed (invalid spec, missing dataset, too many restarts, cancel requested
 * before start): a guarded move from its current status. False when the job moved meanwhile.
 */
export async function endUnclaimed(
  prisma: PrismaClient,
  announcer: Announcer,
  jobId: string,
  to: 'failed' | 'cancelled',
  error: { code: JobErrorCode; message: string } | null,
): Promise<boolean> {
  let events!: EventBatch;
  const moved: boolean = await prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    events = new EventBatch(tx, jobId);
    const data = error ? { errorCode: error.code, errorMessage: error.message } : {};
    if (!(await transitionJob(tx, jobId, to, data))) return false;
    await tx.checkpoint.deleteMany({ where: { jobId } });
    await events.status(to, error);
    await events.flush();
    return true;
  });
  if (moved) {
    await events.announce(announcer);
    await continueSweepOf(prisma, announcer, jobId);
  }
  return moved;
}


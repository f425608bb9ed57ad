// PostgreSQL is the source of truth: any job it calls queued or running that BullMQ does not hold (Redis
// flushed or restarted without persistence, an API killed between writing the row and enqueueing it, a job
// BullMQ gave up on as stalled) is enqueued again. Safe to run from several processes at once: enqueue is
// idempotent, and the worker skips a job that is already finished when it picks it up.
import type { PrismaClient } from '@trainyard/db';
import type { JobQueue } from './job-queue.ts';

export const RECONCILE_BATCH_SIZE = 500;

const ACTIVE_STATUSES = ['queued', 'running'] as const;

export interface ReconcileResult {
  /** Jobs PostgreSQL calls queued or running. */
  checked: number;
  /** The ones that were missing from BullMQ and were enqueued again. */
  enqueued: string[];
}

export async function reconcile(prisma: PrismaClient, queue: JobQueue, batchSize = RECONCILE_BATCH_SIZE): Promise<ReconcileResult> {
  const result: ReconcileResult = { checked: 0, enqueued: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.job.findMany({
      where: { status: { in: [...ACTIVE_STATUSES] }, ...(after === undefined ? {} : { id: { gt: after } }) },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) return result;
    after = rows[rows.length - 1].id;
    result.checked += rows.length;
    const ids = rows.map((row) => row.id);
    const held = await queue.held(ids);
    const missing = ids.filter((id) => !held.has(id));
    if (missing.length > 0) result.enqueued.push(...(await enqueueStillActive(prisma, queue, missing)));
    if (rows.length < batchSize) return result;
  }
}

/** Re-reads the rows first: a job that ended while we looked at Redis needs nothing. */
async function enqueueStillActive(prisma: PrismaClient, queue: JobQueue, ids: string[]): Promise<string[]> {
  const active = await prisma.job.findMany({
    where: { id: { in: ids }, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true },
  });
  const enqueued: string[] = [];
  for (const { id } of active) {
    if ((await queue.enqueue(id)) !== 'already_queued') enqueued.push(id);
  }
  return enqueued;
}

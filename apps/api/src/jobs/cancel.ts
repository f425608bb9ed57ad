import { ApiError, type JobResponse } from '@trainyard/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { insertJobEvent, statusEvent } from './events.ts';
import { JOB_COLUMNS, presentJob } from './present.ts';
import { withTimeout } from '../timeout.ts';
import { continueSweep } from '@trainyard/queue';

/**
 * Cancel (service-plan.md): mark cancelRequested; a queued job moves to cancelled at once and leaves the
 * queue; a running one is asked to stop on `trainyard:cancel`, and the worker holding it ends it
 * `cancelled` within one step (it also checks cancelRequested at each epoch end). 409 on a finished job.
 * A job cancelled here is announced to its webhook (the worker announces the ones it ends).
 */
export async function cancelJob(
  context: AppContext,
  log: FastifyBaseLogger,
  tenantId: string,
  id: string,
): Promise<{ job: JobResponse; cancelled: boolean }> {
  const { prisma, queue } = context;
  const marked = await prisma.job.updateMany({
    where: { id, tenantId, status: { in: ['queued', 'running'] } },
    data: { cancelRequested: true },
  });
  if (marked.count === 0) {
    const job = await prisma.job.findFirst({ where: { id, tenantId }, select: { status: true } });
    if (job === null) throw new ApiError('not_found', `no job ${id}`);
    throw new ApiError('conflict', `job ${id} has already ended (${job.status})`);
  }

  context.jobCache.invalidate(id); // other instances: by the event below, or within the cache TTL
  const now = new Date();
  // queued → cancelled, guarded on `queued` alone: a job a worker has just started must be stopped by
  // that worker (it keeps its snapshots), never ended underneath it.
  const eventId = await prisma.$transaction(async (tx) => {
    const moved = await tx.job.updateMany({ where: { id, status: 'queued' }, data: { status: 'cancelled', finishedAt: now } });
    return moved.count === 1 ? insertJobEvent(tx, id, 'status', statusEvent('cancelled', now)) : null;
  });
  if (eventId !== null) {
    // A worker that still dequeues it cannot start it: queued → running is guarded.
    await withTimeout(queue.remove(id), context.config.enqueueTimeoutMs, 'queue remove').catch((error: unknown) =>
      log.warn({ err: error, jobId: id }, 'could not remove the cancelled job from the queue'),
    );
    queue.publishEvent(id, eventId).catch(() => undefined);
    void context.webhooks?.notify(prisma, id, 'cancelled'); // never rejects; the delivery row is the record
    // A sweep's trial: the sweep starts its next one (the reconciler does, if this fails).
    await continueSweep(prisma, queue, id).catch((error: unknown) => log.warn({ err: error, jobId: id }, 'the sweep\'s next trials were not started'));
  } else {
    // No event row yet (the worker writes `cancelled`), but the body changed (cancelRequested): other API
    // instances drop their cached answer on any notification of the job's channel; streams just re-read.
    queue.publishEvent(id, 'cancel-requested').catch(() => undefined);
    await withTimeout(queue.requestCancel(id), context.config.enqueueTimeoutMs, 'cancel request').catch((error: unknown) => {
      log.warn({ err: error, jobId: id }, 'cancel request not published; the worker will see cancelRequested at the next epoch end');
    });
  }
  const row = await prisma.job.findFirstOrThrow({ where: { id, tenantId }, select: JOB_COLUMNS });
  return { job: presentJob(row), cancelled: row.status === 'cancelled' };
}

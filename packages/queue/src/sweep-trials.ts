// A sweep goes on when a trial ends: its next trials are created (topUpSweep, under the sweep's lock) and
// queued. Whoever ended the trial — a worker, or the API cancelling a queued one — calls continueSweep; the
// reconciler calls reconcileSweeps, which repeats the decision for every live sweep (after a crash between a
// trial's end and its sweep's next step). Repeating it is harmless: each trial index is created once.
import { topUpSweep, type PrismaClient } from '@trainyard/db';
import type { JobQueue } from './job-queue.ts';

/** All a sweep needs of the queue. */
type Enqueuer = Pick<JobQueue, 'enqueue'>;

/** Starts the trial's sweep's next trials (or ends the sweep); nothing for a job that is not a trial. */
export async function continueSweep(prisma: PrismaClient, queue: Enqueuer, jobId: string): Promise<string[]> {
  const job = await prisma.job.findUnique({ where: { id: jobId }, select: { sweepId: true } });
  if (!job?.sweepId) return [];
  return startTrials(prisma, queue, job.sweepId);
}

/** Tops up one sweep and queues what it created; returns the new trials' job ids. */
export async function startTrials(prisma: PrismaClient, queue: Enqueuer, sweepId: string): Promise<string[]> {
  const { created } = await topUpSweep(prisma, sweepId);
  // A trial that fails to enqueue stays queued in PostgreSQL: the job reconciler queues it later.
  for (const id of created) await queue.enqueue(id).catch(() => undefined);
  return created;
}

export async function reconcileSweeps(prisma: PrismaClient, queue: Enqueuer): Promise<string[]> {
  const sweeps = await prisma.sweep.findMany({ where: { status: { in: ['queued', 'running'] } }, select: { id: true } });
  const created: string[] = [];
  for (const { id } of sweeps) created.push(...(await startTrials(prisma, queue, id)));
  return created;
}

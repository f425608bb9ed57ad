import { ApiError } from '@trainyard/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { cancelJob } from '../jobs/cancel.ts';

/**
 * Stops a sweep: no trial is started any more, queued trials are cancelled at once and running ones asked to
 * stop (each ends `cancelled` within a step, keeping its snapshots). 409 once the sweep has ended.
 */
export async function cancelSweep(context: AppContext, log: FastifyBaseLogger, tenantId: string, id: string): Promise<void> {
  const { prisma } = context;
  const marked = await prisma.sweep.updateMany({
    where: { id, tenantId, status: { in: ['queued', 'running'] } },
    data: { cancelRequested: true, status: 'cancelled', finishedAt: new Date() },
  });
  if (marked.count === 0) {
    const sweep = await prisma.sweep.findFirst({ where: { id, tenantId }, select: { status: true } });
    if (sweep === null) throw new ApiError('not_found', `no sweep ${id}`);
    throw new ApiError('conflict', `sweep ${id} has already ended (${sweep.status})`);
  }
  const trials = await prisma.job.findMany({ where: { sweepId: id, status: { in: ['queued', 'running'] } }, select: { id: true } });
  for (const trial of trials) {
    await cancelJob(context, log, tenantId, trial.id).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 'conflict')) throw error; // it ended meanwhile
    });
  }
}

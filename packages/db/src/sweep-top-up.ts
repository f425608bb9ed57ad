// The one decision a sweep takes over and over: "start the next trials". Taken under the sweep row's lock,
// from what the database holds, so any number of API and worker processes may ask at once, or again after a
// crash: each trial index is created exactly once (jobs_sweepId_trialIndex_key), never more than
// `parallelism` trials are queued or running, and the sweep ends exactly when its last trial has.
import { newId } from '@trainyard/contracts';
import type { PrismaClient, Prisma } from './generated/prisma/client.ts';
import type { JobStatus } from './generated/prisma/enums.ts';

/** A trial as the sweep stores it at submit: its parameters and its job spec with every default filled in. */
export interface StoredTrial {
  parameters: Record<string, unknown>;
  spec: { training: { epochs: number } } & Record<string, unknown>;
}

export interface TopUp {
  /** New trial jobs, status queued: enqueue them after this returns. */
  created: string[];
  /** The sweep's status afterwards (null: no such sweep). */
  status: JobStatus | null;
}

interface LockedSweep {
  tenantId: string;
  status: JobStatus;
  total: number;
  parallelism: number;
  created: number;
  cancelRequested: boolean;
  datasetId: string;
  datasetSha256: string | null;
}

export async function topUpSweep(prisma: PrismaClient, sweepId: string): Promise<TopUp> {
  return prisma.$transaction(async (tx) => {
    const [sweep] = await tx.$queryRaw<LockedSweep[]>`
      SELECT "tenantId", status, total, parallelism, created, "cancelRequested", "datasetId", "datasetSha256"
      FROM sweeps WHERE id = ${sweepId} FOR UPDATE`;
    if (sweep === undefined) return { created: [], status: null };
    if (sweep.status !== 'queued' && sweep.status !== 'running') return { created: [], status: sweep.status };
    const counts = await trialCounts(tx, sweepId);
    const active = counts.queued + counts.running;
    const created = sweep.cancelRequested ? [] : await createTrials(tx, sweepId, sweep, Math.min(sweep.total - sweep.created, sweep.parallelism - active));
    const allCreated = sweep.created + created.length >= sweep.total;
    if (active + created.length > 0 || !(allCreated || sweep.cancelRequested)) return { created, status: sweep.status };
    const status: JobStatus = sweep.cancelRequested ? 'cancelled' : counts.succeeded > 0 ? 'succeeded' : 'failed';
    await tx.sweep.updateMany({ where: { id: sweepId, status: { in: ['queued', 'running'] } }, data: { status, finishedAt: new Date() } });
    return { created, status };
  });
}

async function trialCounts(tx: Prisma.TransactionClient, sweepId: string): Promise<Record<JobStatus, number>> {
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  const groups = await tx.job.groupBy({ by: ['status'], where: { sweepId }, _count: { _all: true } });
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

async function createTrials(tx: Prisma.TransactionClient, sweepId: string, sweep: LockedSweep, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const { trials } = await tx.sweep.findUniqueOrThrow({ where: { id: sweepId }, select: { trials: true } });
  const stored = trials as unknown as StoredTrial[];
  const ids: string[] = [];
  for (let index = sweep.created; index < sweep.created + count; index++) {
    const { parameters, spec } = stored[index];
    const id = newId('job');
    await tx.job.create({
      data: {
        id, tenantId: sweep.tenantId, datasetId: sweep.datasetId, datasetSha256: sweep.datasetSha256,
        spec: spec as Prisma.InputJsonValue, epochs: spec.training.epochs, sweepId, trialIndex: index, parameters: parameters as Prisma.InputJsonValue,
      },
      select: { id: true },
    });
    await tx.jobEvent.create({ data: { jobId: id, type: 'status', data: { status: 'queued', error: null, at: new Date().toISOString() } }, select: { id: true } });
    ids.push(id);
  }
  await tx.sweep.update({ where: { id: sweepId }, data: { created: sweep.created + count }, select: { id: true } });
  return ids;
}

/** A trial started: its sweep is running from then on. */
export async function markSweepRunning(tx: Prisma.TransactionClient, sweepId: string): Promise<void> {
  await tx.sweep.updateMany({ where: { id: sweepId, status: 'queued' }, data: { status: 'running', startedAt: new Date() } });
}

// Snapshot rows of a running job: periodic (weights + resume state, at most `keep`), one best (replaced by a
// better epoch), one final. Each write returns the SSE payload of the snapshot.
import { newId } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';
import type { MetricsJson } from './job-events.ts';

export interface SnapshotInput {
  tenantId: string;
  jobId: string;
  kind: 'periodic' | 'best' | 'final';
  epoch: number;
  step: number;
  metrics: MetricsJson | null;
  /** safetensors */
  weights: Uint8Array;
  /** Trainer state; periodic snapshots only. */
  state: Uint8Array | null;
}

export async function createSnapshot(tx: Prisma.TransactionClient, input: SnapshotInput): Promise<Prisma.InputJsonObject> {
  const row = await tx.snapshot.create({
    data: {
      id: newId('snapshot'), tenantId: input.tenantId, jobId: input.jobId, kind: input.kind, epoch: input.epoch, step: input.step,
      metrics: input.metrics ?? undefined, sizeBytes: input.weights.byteLength,
      weights: input.weights as Uint8Array<ArrayBuffer>, state: (input.state ?? undefined) as Uint8Array<ArrayBuffer> | undefined,
    },
    select: { id: true, createdAt: true },
  });
  return {
    id: row.id, jobId: input.jobId, epoch: input.epoch, step: input.step, metrics: input.metrics,
    sizeBytes: input.weights.byteLength, createdAt: row.createdAt.toISOString(), kind: input.kind,
  };
}

/** The best snapshot is one row per job: the old one goes when a better epoch arrives. */
export async function replaceBestSnapshot(tx: Prisma.TransactionClient, input: Omit<SnapshotInput, 'kind' | 'state'>): Promise<Prisma.InputJsonObject> {
  await tx.snapshot.deleteMany({ where: { jobId: input.jobId, kind: 'best' } });
  const event = await createSnapshot(tx, { ...input, kind: 'best', state: null });
  await tx.job.update({ where: { id: input.jobId }, data: { bestSnapshotId: event.id as string }, select: { id: true } });
  return event;
}

/** Drops the oldest periodic snapshots beyond `keep`. */
export async function prunePeriodicSnapshots(tx: Prisma.TransactionClient, jobId: string, keep: number): Promise<void> {
  const stale = await tx.snapshot.findMany({
    where: { jobId, kind: 'periodic' },
    orderBy: [{ step: 'desc' }, { createdAt: 'desc' }],
    skip: keep,
    select: { id: true },
  });
  if (stale.length > 0) await tx.snapshot.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
}

/** After a resume from `step`: snapshots taken later belong to epochs that will run again. */
export async function dropSnapshotsAfter(tx: Prisma.TransactionClient, jobId: string, step: number): Promise<void> {
  await tx.snapshot.deleteMany({ where: { jobId, kind: { in: ['periodic', 'best'] }, step: { gt: step } } });
}

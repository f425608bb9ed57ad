import type { EpochMetrics, SnapshotResponse } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';

/** Snapshot columns a response needs: never the weights or the training state. */
export const SNAPSHOT_SUMMARY = {
  id: true,
  jobId: true,
  kind: true,
  epoch: true,
  step: true,
  metrics: true,
  sizeBytes: true,
  createdAt: true,
} as const satisfies Prisma.SnapshotSelect;

export type SnapshotSummary = Prisma.SnapshotGetPayload<{ select: typeof SNAPSHOT_SUMMARY }>;

export function presentSnapshot(row: SnapshotSummary): SnapshotResponse {
  return {
    id: row.id,
    jobId: row.jobId,
    epoch: row.epoch,
    step: row.step,
    metrics: (row.metrics as EpochMetrics | null) ?? null,
    sizeBytes: row.sizeBytes,
    createdAt: row.createdAt.toISOString(),
    kind: row.kind,
  };
}

import type { EpochMetrics, JobResponse } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';

/** Everything GET /v1/jobs/:id shows, from the one row (no joins: a poll is one indexed query). */
export const JOB_COLUMNS = {
  id: true,
  status: true,
  datasetId: true,
  spec: true,
  epoch: true,
  epochs: true,
  step: true,
  steps: true,
  metrics: true,
  samplesPerSecond: true,
  backend: true,
  stoppedEarly: true,
  cancelRequested: true,
  errorCode: true,
  errorMessage: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  bestSnapshotId: true,
  finalSnapshotId: true,
} as const satisfies Prisma.JobSelect;

export type JobRow = Prisma.JobGetPayload<{ select: typeof JOB_COLUMNS }>;

/** Job.spec: the submitted job with every default filled in (see service-plan.md). */
export interface StoredSpec {
  model: JobResponse['model'];
  training: JobResponse['training'];
  snapshots: JobResponse['snapshots'];
  metadata: JobResponse['metadata'];
  webhook: JobResponse['webhook'];
  initialWeights: string | null;
}

export function progressOf(row: Pick<JobRow, 'status' | 'epoch' | 'epochs' | 'step' | 'steps'>): JobResponse['progress'] {
  // A job that ended early (early stopping) is still complete.
  const fraction = row.status === 'succeeded' ? 1 : row.steps > 0 ? Math.min(1, row.step / row.steps) : 0;
  return { epoch: row.epoch, epochs: row.epochs, step: row.step, steps: row.steps, fraction };
}

export function presentJob(row: JobRow): JobResponse {
  const spec = row.spec as unknown as StoredSpec;
  return {
    id: row.id,
    status: row.status,
    dataset: row.datasetId,
    model: spec.model,
    training: spec.training,
    snapshots: spec.snapshots,
    metadata: spec.metadata ?? null,
    initialWeights: spec.initialWeights ?? null,
    webhook: spec.webhook ?? null,
    progress: progressOf(row),
    metrics: (row.metrics as EpochMetrics | null) ?? null,
    samplesPerSecond: row.samplesPerSecond,
    backend: row.backend,
    stoppedEarly: row.stoppedEarly,
    cancelRequested: row.cancelRequested,
    error: row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? row.errorCode },
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    bestSnapshot: row.bestSnapshotId,
    finalSnapshot: row.finalSnapshotId,
  };
}

import { METRIC_NAMES, type EpochMetrics, type JobResponse, type Receipt } from '@trainyard/contracts';
import { JOB_VIEW_COLUMNS, jobProgress, type Prisma } from '@trainyard/db';

/** Everything GET /v1/jobs/:id shows, from the one row (no joins: a poll is one indexed query). */
export const JOB_COLUMNS = JOB_VIEW_COLUMNS;

export type JobRow = Prisma.JobGetPayload<{ select: typeof JOB_COLUMNS }>;

/** Job.spec: the submitted job with every default filled in (see service-plan.md). */
export interface StoredSpec {
  model: JobResponse['model'];
  training: JobResponse['training'];
  snapshots: JobResponse['snapshots'];
  metadata: JobResponse['metadata'];
  webhook: JobResponse['webhook'];
  initialWeights: string | null;
  /** Absent in jobs stored before real tables. */
  features?: JobResponse['features'];
}

/** The metrics a point has (its null columns left out). */
export function presentMetrics(point: Partial<Record<(typeof METRIC_NAMES)[number], number | null>>): Omit<EpochMetrics, 'loss'> {
  const metrics: Omit<EpochMetrics, 'loss'> = {};
  for (const name of METRIC_NAMES) {
    const value = point[name];
    if (value !== null && value !== undefined) metrics[name] = value;
  }
  return metrics;
}

export function presentJob(row: JobRow): JobResponse {
  const spec = row.spec as unknown as StoredSpec;
  return {
    id: row.id,
    status: row.status,
    dataset: row.datasetId,
    model: spec.model,
    training: spec.training,
    features: spec.features ?? null,
    inputSize: spec.model.inputSize,
    snapshots: spec.snapshots,
    metadata: spec.metadata ?? null,
    initialWeights: spec.initialWeights ?? null,
    webhook: spec.webhook ?? null,
    progress: jobProgress(row),
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
    receipt: receiptOf(row, spec),
    replayOf: row.replayOf,
    reproduces: row.replayOf !== null && row.reproducesIdentical !== null ? { jobId: row.replayOf, identical: row.reproducesIdentical } : null,
    sweep: row.sweepId,
    parameters: (row.parameters as Record<string, unknown> | null) ?? null,
    stopReason: stopReasonOf(row),
  };
}

function stopReasonOf(row: JobRow): JobResponse['stopReason'] {
  if (row.stopReason === 'pruned' || row.stopReason === 'early_stopping') return row.stopReason;
  return row.stoppedEarly ? 'early_stopping' : null;
}

/** The receipt, once a worker has started the job (it names the backend); null before. */
function receiptOf(row: JobRow, spec: StoredSpec): Receipt | null {
  if (row.backend === null) return null;
  return {
    datasetSha256: row.datasetSha256,
    resolvedSpec: resolvedSpec(row.datasetId, spec),
    seed: spec.training.seed,
    engine: { version: row.engineVersion, backend: row.backend, threads: row.threads },
    weightsSha256: row.weightsSha256,
  };
}

/** What the job trains from, every default filled in (metadata and the webhook do not change a weight). */
export function resolvedSpec(datasetId: string, spec: StoredSpec): Receipt['resolvedSpec'] {
  return {
    dataset: datasetId, model: spec.model, training: spec.training, features: spec.features ?? null,
    snapshots: spec.snapshots, initialWeights: spec.initialWeights ?? null,
  };
}

// What every outward view of a job (the API's job responses, webhook payloads) is built from: one row, no
// joins, so a status poll stays one indexed query.
import type { Prisma } from './generated/prisma/client.ts';

export const JOB_VIEW_COLUMNS = {
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
  datasetSha256: true,
  engineVersion: true,
  threads: true,
  weightsSha256: true,
  replayOf: true,
  reproducesIdentical: true,
  sweepId: true,
  parameters: true,
  stopReason: true,
} as const satisfies Prisma.JobSelect;

export type JobProgress = {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  fraction: number;
};

/** Where training stands; a job that ended early (early stopping) is still complete. */
export function jobProgress(row: { status: string; epoch: number; epochs: number; step: number; steps: number }): JobProgress {
  const fraction = row.status === 'succeeded' ? 1 : row.steps > 0 ? Math.min(1, row.step / row.steps) : 0;
  return { epoch: row.epoch, epochs: row.epochs, step: row.step, steps: row.steps, fraction };
}

import { ApiError, type JobResponse } from '@trainyard/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { findDatasetInfo } from '../datasets/dataset-info.ts';
import { recordJob } from './submit.ts';

/**
 * `POST /v1/jobs/:id/replay`: a new job with exactly the stored spec (seed included) and dataset of a
 * succeeded one. The worker trains it on the original's backend and thread count and, once it succeeds,
 * records whether its final weights are byte-identical to the original's.
 */
export async function replayJob(context: AppContext, log: FastifyBaseLogger, tenantId: string, id: string): Promise<JobResponse> {
  const original = await context.prisma.job.findFirst({
    where: { id, tenantId },
    select: { status: true, datasetId: true, datasetSha256: true, spec: true, finalSnapshotId: true },
  });
  if (original === null) throw new ApiError('not_found', `no job ${id}`);
  if (original.status !== 'succeeded' || original.finalSnapshotId === null) {
    throw new ApiError('conflict', `job ${id} is ${original.status}: only a succeeded job can be replayed (the replay is compared with its final weights)`);
  }
  const dataset = await findDatasetInfo(context.prisma, tenantId, original.datasetId);
  if (dataset === null) throw new ApiError('conflict', `the dataset ${original.datasetId} of job ${id} was deleted`);
  if (original.datasetSha256 !== null && dataset.sha256 !== original.datasetSha256) {
    throw new ApiError('conflict', `the dataset ${original.datasetId} is not the one job ${id} trained on (its SHA-256 differs)`);
  }
  return recordJob(context, log, tenantId, { dataset, spec: original.spec, replayOf: id }, null);
}

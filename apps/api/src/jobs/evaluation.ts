import { ApiError, type EvaluationResponse } from '@trainyard/contracts';
import { readDatasetSource, type Prisma, type PrismaClient } from '@trainyard/db';
import { dataOptionsOf, evaluateModel, prepareSource, type FittedPreprocessing } from '@trainyard/tabular';
import { decodeStored, loadWeights } from '../snapshots/weights.ts';
import type { StoredSpec } from './present.ts';

/**
 * A succeeded job's evaluation of one of its snapshots (default: the final one). The worker stores the final
 * snapshot's when the job ends; another snapshot's is computed here once, on the job's own split, and stored.
 */
export async function jobEvaluation(prisma: PrismaClient, tenantId: string, jobId: string, snapshotId?: string): Promise<EvaluationResponse> {
  const job = await prisma.job.findFirst({
    where: { id: jobId, tenantId },
    select: { status: true, datasetId: true, spec: true, finalSnapshotId: true },
  });
  if (job === null) throw new ApiError('not_found', `no job ${jobId}`);
  if (job.status !== 'succeeded') throw new ApiError('conflict', `job ${jobId} is ${job.status}; it is evaluated once it has succeeded`);
  const id = snapshotId ?? job.finalSnapshotId;
  if (id === null) throw new ApiError('conflict', `job ${jobId} has no final snapshot`);
  const stored = await prisma.evaluation.findUnique({ where: { snapshotId: id }, select: { jobId: true, body: true } });
  if (stored !== null && stored.jobId === jobId) return stored.body as unknown as EvaluationResponse;

  const snapshot = await loadWeights(prisma, tenantId, id, jobId);
  const model = decodeStored(snapshot);
  const source = await readDatasetSource(prisma, tenantId, job.datasetId);
  if (source === null) throw new ApiError('conflict', `the dataset ${job.datasetId} of job ${jobId} was deleted: the job cannot be evaluated again`);
  const spec = job.spec as unknown as StoredSpec;
  const data = prepareSource(source, dataOptionsOf(spec.training, spec.features ?? null, model.preprocessing as FittedPreprocessing | undefined));
  const body: EvaluationResponse = { jobId, snapshotId: id, ...evaluateModel(model, data, spec.training.seed) };
  await prisma.evaluation.upsert({
    where: { snapshotId: id },
    create: { snapshotId: id, jobId, body: body as unknown as Prisma.InputJsonObject },
    update: {},
  });
  return body;
}

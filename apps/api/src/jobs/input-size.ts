import { DatasetError, type TrainingConfig } from '@trainyard/backprop';
import { ApiError, type JobSubmitBody } from '@trainyard/contracts';
import { readDatasetSource, type PrismaClient } from '@trainyard/db';
import { dataOptionsOf, fitSourcePreprocessing } from '@trainyard/tabular';
import type { DatasetInfo } from '../datasets/dataset-info.ts';

/**
 * How many encoded inputs the job's first layer takes: its preprocessing fitted on its training split, as the
 * worker will fit it (a built-in without a feature selection: its feature count). Feature names or class
 * weights that do not fit the dataset answer 422 `invalid_spec`.
 */
export async function fitInputCount(prisma: PrismaClient, tenantId: string, body: JobSubmitBody, dataset: DatasetInfo, training: TrainingConfig): Promise<number> {
  if (dataset.builtin && !body.features) return dataset.features.length;
  const source = await readDatasetSource(prisma, tenantId, dataset.id);
  if (source === null) throw new ApiError('invalid_spec', `no dataset ${dataset.id}`, [{ path: 'dataset', message: 'was deleted' }]);
  try {
    return fitSourcePreprocessing(source, dataOptionsOf(training, body.features ?? null)).inputs.length;
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const path = /classWeights/.test(error.message) ? 'training.classWeights' : /feature/.test(error.message) ? 'features' : 'dataset';
    throw new ApiError('invalid_spec', error.message, error.details.length > 0
      ? error.details.map((detail) => ({ path, message: detail.column ? `${detail.column}: ${detail.message}` : detail.message }))
      : [{ path, message: error.message }]);
  }
}

import { newId, type SweepResponse, type SweepSubmitBody } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';
import { startTrials } from '@trainyard/queue';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import { findDatasetInfo } from '../datasets/dataset-info.ts';
import { fitInputCount } from '../jobs/input-size.ts';
import { createStrictValidator } from '../validation.ts';
import { ApiError } from '@trainyard/contracts';
import { buildTrials } from './build-trials.ts';
import { presentSweep, SWEEP_COLUMNS } from './present-sweep.ts';

const validator = createStrictValidator();

/**
 * `POST /v1/sweeps`: every trial is built and checked first (a sweep that is accepted has no trial that cannot
 * start), the sweep row is written, then its first `parallelism` trials are created and queued by the same
 * decision that later trials go through (topUpSweep). If queueing fails, the reconciler queues them.
 */
export async function submitSweep(context: AppContext, log: FastifyBaseLogger, tenantId: string, body: SweepSubmitBody): Promise<SweepResponse> {
  const { prisma, config } = context;
  const dataset = await findDatasetInfo(prisma, tenantId, body.base.dataset);
  if (dataset === null) throw new ApiError('invalid_spec', `no dataset ${body.base.dataset}`, [{ path: 'base.dataset', message: 'is not a built-in dataset nor one of your uploads' }]);
  // Trials that differ only in the model or the optimizer share one preprocessing fit.
  const inputCounts = new Map<string, Promise<number>>();
  const { spec, trials } = await buildTrials(body, dataset, config.limits, {
    maxTrials: config.limits.maxSweepTrials, maxParallelism: config.limits.maxSweepParallelism,
  }, validator, (trial, training) => {
    const key = JSON.stringify([trial.features ?? null, training.testSplit, training.validationSplit, training.seed, training.normalize, training.maxCategories, training.classWeights]);
    if (!inputCounts.has(key)) inputCounts.set(key, fitInputCount(prisma, tenantId, trial, dataset, training));
    return inputCounts.get(key)!;
  });
  const id = newId('sweep');
  await prisma.sweep.create({
    data: {
      id, tenantId, spec: spec as unknown as Prisma.InputJsonValue, trials: trials as unknown as Prisma.InputJsonValue,
      total: spec.trials, parallelism: spec.parallelism, datasetId: dataset.id, datasetSha256: dataset.sha256,
    },
    select: { id: true },
  });
  try {
    await startTrials(prisma, context.queue, id);
  } catch (error) {
    log.warn({ err: error, sweepId: id }, 'the first trials were not started; the reconciler will start them');
  }
  return presentSweep(prisma, await prisma.sweep.findUniqueOrThrow({ where: { id }, select: SWEEP_COLUMNS }));
}

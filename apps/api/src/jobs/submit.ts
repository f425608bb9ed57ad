import { ApiError, newId, type JobResponse, type JobSubmitBody } from '@trainyard/contracts';
import type { Prisma } from '@trainyard/db';
import { addressPolicyOf, webhookUrlRefusal } from '@trainyard/webhooks';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Commit } from '../idempotency.ts';
import { findDatasetInfo, type DatasetInfo } from '../datasets/dataset-info.ts';
import { checkInitialWeights } from './initial-weights.ts';
import { insertJobEvent, statusEvent } from './events.ts';
import { fitInputCount } from './input-size.ts';
import { prepareJob } from './prepare.ts';
import { withTimeout } from '../timeout.ts';
import { JOB_COLUMNS, presentJob } from './present.ts';

/** Seconds a client should wait before retrying when the tenant's queue is full. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

/** Validates the body, fills in every default and records the job: PostgreSQL, not Redis, is the record of accepted jobs. */
export async function submitJob(
  context: AppContext,
  log: FastifyBaseLogger,
  tenantId: string,
  body: JobSubmitBody,
  commit: Commit | null,
): Promise<JobResponse> {
  const { prisma, config } = context;
  checkWebhookUrl(body.webhook?.url, config.webhooks);
  const dataset = await findDatasetInfo(prisma, tenantId, body.dataset);
  const spec = await prepareJob(body, dataset, config.limits, (training) => fitInputCount(prisma, tenantId, body, dataset!, training));
  await checkInitialWeights(prisma, tenantId, spec);

  return recordJob(context, log, tenantId, { dataset: dataset!, spec, replayOf: null }, commit);
}

/** A webhook URL written with an internal address would be refused at every delivery: say so now (names are checked at delivery). */
function checkWebhookUrl(url: string | undefined, settings: AppContext['config']['webhooks']): void {
  if (url === undefined) return;
  const refusal = webhookUrlRefusal(url, addressPolicyOf(settings));
  if (refusal !== null) throw new ApiError('invalid_spec', `the webhook cannot be sent there: ${refusal}`, [{ path: 'webhook.url', message: refusal }]);
}

export interface NewJob {
  dataset: DatasetInfo;
  /** The stored spec: the job body with every default filled in. */
  spec: unknown;
  /** A replay: the job it trains again. */
  replayOf: string | null;
}

/**
 * Writes the job row (status queued, with its first status event) and only then enqueues it. If enqueueing
 * fails the row stays queued and the reconciler enqueues it later, so the answer is 202 either way.
 */
export async function recordJob(
  context: AppContext,
  log: FastifyBaseLogger,
  tenantId: string,
  { dataset, spec, replayOf }: NewJob,
  commit: Commit | null,
): Promise<JobResponse> {
  const { prisma, config, queue } = context;
  const waiting = await prisma.job.count({ where: { tenantId, status: 'queued' } });
  if (waiting >= config.limits.maxQueuedJobsPerTenant) {
    throw new ApiError(
      'too_many_queued_jobs',
      `${waiting} jobs are already queued; at most ${config.limits.maxQueuedJobsPerTenant} may wait (TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT)`,
      undefined,
      { 'Retry-After': String(QUEUE_FULL_RETRY_AFTER_SECONDS) },
    );
  }

  const id = newId('job');
  const epochs = (spec as { training: { epochs: number } }).training.epochs;
  const { job, eventId } = await prisma.$transaction(async (tx) => {
    if (!dataset.builtin) await lockDataset(tx, tenantId, dataset.id);
    const row = await tx.job.create({
      data: { id, tenantId, datasetId: dataset.id, datasetSha256: dataset.sha256, spec: spec as Prisma.InputJsonValue, epochs, replayOf },
      select: JOB_COLUMNS,
    });
    const eventId = await insertJobEvent(tx, id, 'status', statusEvent('queued', row.createdAt));
    const job = presentJob(row);
    if (commit !== null) await commit(tx, { status: 202, body: job });
    return { job, eventId };
  });

  try {
    await withTimeout(queue.enqueue(id), config.enqueueTimeoutMs, 'enqueue');
  } catch (error) {
    log.warn({ err: error, jobId: id }, 'enqueue failed; the job row is queued and the reconciler will enqueue it');
  }
  // Best effort, not awaited: streams also re-read on their heartbeat.
  queue.publishEvent(id, eventId).catch(() => undefined);
  return job;
}

/** A share lock: a concurrent DELETE of the dataset waits for this job to be recorded, then sees it. */
async function lockDataset(tx: Prisma.TransactionClient, tenantId: string, datasetId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM datasets WHERE id = ${datasetId} AND "tenantId" = ${tenantId} FOR SHARE`;
  if (rows.length === 0) {
    throw new ApiError('invalid_spec', `no dataset ${datasetId}`, [{ path: 'dataset', message: 'was deleted' }]);
  }
}

// JobEvent rows (the SSE history) and webhook deliveries (the outbox) are inserted inside the write that caused
// them and announced only after that write commits: SSE streams woken by Redis always find the row, and a
// delivery exists exactly when its status change does.
import type { Prisma } from '@trainyard/db';
import type { JobQueue } from '@trainyard/queue';
import { recordWebhookDelivery, WEBHOOK_EVENTS, WEBHOOK_JOB_COLUMNS, type WebhookDispatcher, type WebhookEvent } from '@trainyard/webhooks';
import type { Logger } from 'pino';

export type JobEventType = 'status' | 'progress' | 'metrics' | 'snapshot';

/** Where committed events are announced. */
export interface Announcer {
  queue: JobQueue;
  /** null: deliveries are recorded and left to another process's dispatcher (its reconcile queues them). */
  webhooks: WebhookDispatcher | null;
  log: Logger;
}

export class EventBatch {
  private readonly ids: bigint[] = [];
  private readonly deliveries: bigint[] = [];

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly jobId: string,
  ) {}

  async add(type: JobEventType, data: Prisma.InputJsonObject): Promise<void> {
    const row = await this.tx.jobEvent.create({ data: { jobId: this.jobId, type, data }, select: { id: true } });
    this.ids.push(row.id);
  }

  /** The status event, and the webhook delivery when the job's webhook listens to this status. Call after the move. */
  async status(status: string, error: { code: string; message: string } | null): Promise<void> {
    await this.add('status', { status, error, at: now() });
    if (!isWebhookEvent(status)) return;
    const job = await this.tx.job.findUniqueOrThrow({ where: { id: this.jobId }, select: WEBHOOK_JOB_COLUMNS });
    const delivery = await recordWebhookDelivery(this.tx, job, status);
    if (delivery !== null) this.deliveries.push(delivery);
  }

  /** After commit. A lost notification only delays streams (they poll) or deliveries (reconciled), so it is logged, not thrown. */
  async announce({ queue, webhooks, log }: Announcer): Promise<void> {
    if (webhooks && this.deliveries.length > 0) await webhooks.enqueue(this.deliveries);
    for (const id of this.ids) {
      try {
        await queue.publishEvent(this.jobId, id);
      } catch (error) {
        log.warn({ err: error, eventId: String(id) }, 'could not announce a job event');
        return;
      }
    }
  }
}

const isWebhookEvent = (status: string): status is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(status);

/** Time as the API writes it: ISO-8601 UTC. */
export const now = (): string => new Date().toISOString();

// A type alias (not an interface) so that it is assignable to Prisma's JSON input type.
export type MetricsJson = { loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number };

/** Epoch metrics without the absent fields (JSON has no undefined). */
export function metricsJson(metrics: MetricsJson): MetricsJson {
  const json: MetricsJson = { loss: metrics.loss };
  if (metrics.accuracy !== undefined) json.accuracy = metrics.accuracy;
  if (metrics.valLoss !== undefined) json.valLoss = metrics.valLoss;
  if (metrics.valAccuracy !== undefined) json.valAccuracy = metrics.valAccuracy;
  return json;
}

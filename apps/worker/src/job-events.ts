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
  private readonly pending: { jobId: string; type: JobEventType; data: Prisma.InputJsonObject }[] = [];
  private readonly ids: bigint[] = [];
  private readonly deliveries: bigint[] = [];

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly jobId: string,
  ) {}

  /** Queues an event row; `flush` inserts the queued rows, in order, in one statement. */
  add(type: JobEventType, data: Prisma.InputJsonObject): void {
    this.pending.push({ jobId: this.jobId, type, data });
  }

  /** The status event, and the webhook delivery when the job's webhook listens to this status. Call after the move. */
  async status(status: string, error: { code: string; message: string } | null): Promise<void> {
    this.add('status', { status, error, at: now() });
    if (!isWebhookEvent(status)) return;
    const job = await this.tx.job.findUniqueOrThrow({ where: { id: this.jobId }, select: WEBHOOK_JOB_COLUMNS });
    const delivery = await recordWebhookDelivery(this.tx, job, status);
    if (delivery !== null) this.deliveries.push(delivery);
  }

  /** Inserts the queued events (ids ascend in the order they were added). Call before the transaction ends. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = await this.tx.jobEvent.createManyAndReturn({ data: this.pending.splice(0), select: { id: true } });
    this.ids.push(...rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** After commit. A lost notification only delays streams (they poll) or deliveries (reconciled), so it is logged, not thrown. */
  async announce({ queue, webhooks, log }: Announcer): Promise<void> {
    if (this.pending.length > 0) throw new Error('EventBatch.announce before flush: events were never inserted');
    if (webhooks && this.deliveries.length > 0) await webhooks.enqueue(this.deliveries);
    // One pipelined round trip for the whole batch (ioredis keeps the order).
    const published = await Promise.allSettled(this.ids.map((id) => queue.publishEvent(this.jobId, id)));
    const failed = published.find((result) => result.status === 'rejected');
    if (failed) log.warn({ err: failed.reason }, 'could not announce job events');
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

// JobEvent rows (the SSE history) and webhook deliveries (the outbox) are inserted inside the write that caused
// them and announced only after that write commits: SSE streams woken by Redis always find the row, and a
// delivery exists exactly when its status change does.
import { METRIC_NAMES } from '@trainyard/contracts';
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
  private readonly pending: { type: JobEventType; data: Prisma.InputJsonObject }[] = [];
  private readonly ids: bigint[] = [];
  private readonly deliveries: bigint[] = [];

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly jobId: string,
  ) {}

  /** Queues an event row; `flush` inserts the queued rows, in order, in one statement. */
  add(type: JobEventType, data: Prisma.InputJsonObject): void {
    this.pending.push({ type, data });
  }

  /** The status event, and the webhook delivery when the job's webhook listens to this status. Call after the move. */
  async status(status: string, error: { code: string; message: string } | null): Promise<void> {
    this.add('status', { status, error, at: now() });
    if (!isWebhookEvent(status)) return;
    const job = await this.tx.job.findUniqueOrThrow({ where: { id: this.jobId }, select: WEBHOOK_JOB_COLUMNS });
    const delivery = await recordWebhookDelivery(this.tx, job, status);
    if (delivery !== null) this.deliveries.push(delivery);
  }

  /**
   * Inserts the queued events in one statement, in order (ids ascend in the order they were added).
   * Call before the transaction ends. Raw SQL over arrays: a batch of a few thousand events (fast epochs)
   * costs one round trip and no per-row work in the client.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    const rows = await this.tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO job_events ("jobId", type, data)
      SELECT ${this.jobId}, e.type, e.data
      FROM unnest(${batch.map((event) => event.type)}::text[], ${batch.map((event) => JSON.stringify(event.data))}::jsonb[])
        WITH ORDINALITY AS e(type, data, n)
      ORDER BY e.n
      RETURNING id`;
    this.ids.push(...rows.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** After commit. A lost notification only delays streams (they poll) or deliveries (reconciled), so it is logged, not thrown. */
  async announce({ queue, webhooks, log }: Announcer): Promise<void> {
    if (this.pending.length > 0) throw new Error('EventBatch.announce before flush: events were never inserted');
    if (webhooks && this.deliveries.length > 0) await webhooks.enqueue(this.deliveries);
    // One notification a write, naming its newest event: listeners (SSE streams, job caches) read every row
    // after the last id they saw, so they need the wake-up, not one message per row.
    const newest = this.ids.at(-1);
    if (newest === undefined) return;
    try {
      await queue.publishEvent(this.jobId, newest);
    } catch (error) {
      log.warn({ err: error, eventId: String(newest) }, 'could not announce job events');
    }
  }
}

const isWebhookEvent = (status: string): status is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(status);

/** Time as the API writes it: ISO-8601 UTC. */
export const now = (): string => new Date().toISOString();

// A type alias (not an interface) so that it is assignable to Prisma's JSON input type.
export type MetricsJson = {
  loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number;
  rmse?: number; mae?: number; r2?: number; valRmse?: number; valMae?: number; valR2?: number;
};

/** Epoch metrics without the absent fields (JSON has no undefined). */
export function metricsJson(metrics: MetricsJson): MetricsJson {
  const json: MetricsJson = { loss: metrics.loss };
  for (const name of METRIC_NAMES) if (metrics[name] !== undefined) json[name] = metrics[name];
  return json;
}

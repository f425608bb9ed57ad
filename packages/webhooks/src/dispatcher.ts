// The producer side, used by whatever moves a job's status (worker, API cancel): record the delivery in
// PostgreSQL, queue its id. Nothing here may slow down or fail training: `notify` never rejects, logs its
// troubles, and waits for Redis only up to `enqueueTimeoutMs`; `reconcile` queues what Redis never got.
import type { PrismaClient } from '@trainyard/db';
import { closeRedis, createRedis } from '@trainyard/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DELIVERY_JOB_NAME, deliveryJobId, type DeliveryPayload } from './delivery-queue.ts';
import { stderrLogger, type WebhookLogger } from './log.ts';
import { WEBHOOK_JOB_COLUMNS, type WebhookEvent, type WebhookJob } from './payload.ts';
import { recordWebhookDelivery } from './record-delivery.ts';
import { resolveWebhookSettings, type WebhookSettings } from './settings.ts';
import { withTimeout } from './with-timeout.ts';

export interface WebhookDispatcherOptions {
  /** The webhook queue, e.g. webhookQueueName(config.queueName). */
  queueName: string;
  /** Defaults to REDIS_URL, then redis://127.0.0.1:6379. */
  redisUrl?: string;
  settings?: Partial<WebhookSettings>;
  log?: WebhookLogger;
}

export interface ReconcileDeliveriesResult {
  checked: number;
  enqueued: string[];
}

/** Deliveries older than this are not queued again by `reconcile`: news that late helps nobody. */
export const RECONCILE_WINDOW_MS = 24 * 3600 * 1000;
const RECONCILE_BATCH_SIZE = 500;

export class WebhookDispatcher {
  readonly queueName: string;
  readonly settings: WebhookSettings;
  /** For Bull Board. */
  readonly bull: Queue<DeliveryPayload>;
  private readonly redis: Redis;
  private readonly log: WebhookLogger;
  private readonly pending = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(options: WebhookDispatcherOptions) {
    this.queueName = options.queueName;
    this.settings = resolveWebhookSettings(options.settings);
    this.log = options.log ?? stderrLogger;
    // Not a blocking connection: commands fail after a few reconnects instead of waiting for Redis forever.
    this.redis = createRedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    this.bull = new Queue<DeliveryPayload>(options.queueName, {
      connection: this.redis,
      streams: { events: { maxLen: 1_000 } },
      defaultJobOptions: {
        attempts: this.settings.maxAttempts,
        backoff: { type: 'exponential', delay: this.settings.backoffMs },
        // PostgreSQL keeps every delivery's outcome; Redis keeps a bounded tail for Bull Board.
        removeOnComplete: { count: 1_000, age: 24 * 3600 },
        removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
      },
    });
    this.bull.on('error', () => {});
  }

  /**
   * Fire and forget, after the status change committed: when the job's webhook lists `event`, writes a
   * WebhookDelivery row and queues it. `job` is the row (WEBHOOK_JOB_COLUMNS) or its id (then read here).
   * Resolves to the delivery id, or null when nothing was sent or something failed (logged). Never rejects.
   */
  notify(prisma: PrismaClient, job: WebhookJob | string, event: WebhookEvent): Promise<bigint | null> {
    const jobId = typeof job === 'string' ? job : job.id;
    const work = this.record(prisma, job, event).catch((error: unknown) => {
      this.log.error({ err: error, jobId, event }, 'could not record a webhook delivery');
      return null;
    });
    this.track(work);
    return work;
  }

  /** Queues recorded deliveries (e.g. recorded in the status change's own transaction). Never rejects; false when Redis did not take them in time. */
  async enqueue(deliveryIds: readonly bigint[]): Promise<boolean> {
    if (deliveryIds.length === 0) return true;
    const adding = this.bull.addBulk(
      deliveryIds.map((id) => ({ name: DELIVERY_JOB_NAME, data: { deliveryId: String(id) }, opts: { jobId: deliveryJobId(id) } })),
    );
    try {
      await withTimeout(adding, this.settings.enqueueTimeoutMs, 'Redis did not take the delivery in time');
      return true;
    } catch (error) {
      adding.catch(() => {});
      this.log.warn({ err: error, deliveryIds: deliveryIds.map(String) }, 'webhook delivery not queued; reconcile will queue it');
      return false;
    }
  }

  /**
   * Queues the deliveries PostgreSQL holds that were never tried and that Redis does not know (a process
   * that died between recording and queueing, Redis down or flushed). Safe to run from several processes.
   * Rejects when PostgreSQL fails or Redis does not answer within enqueueTimeoutMs.
   */
  async reconcile(prisma: PrismaClient, now: Date = new Date()): Promise<ReconcileDeliveriesResult> {
    const result: ReconcileDeliveriesResult = { checked: 0, enqueued: [] };
    const since = new Date(now.getTime() - RECONCILE_WINDOW_MS);
    let after: bigint | undefined;
    for (;;) {
      const rows = await prisma.webhookDelivery.findMany({
        where: { deliveredAt: null, attempts: 0, createdAt: { gte: since }, ...(after === undefined ? {} : { id: { gt: after } }) },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: RECONCILE_BATCH_SIZE,
      });
      if (rows.length === 0) return result;
      after = rows[rows.length - 1].id;
      result.checked += rows.length;
      // BullMQ waits for Redis forever; a reconcile loop must not.
      const states = await withTimeout(
        Promise.all(rows.map((row) => this.bull.getJobState(deliveryJobId(row.id)))),
        this.settings.enqueueTimeoutMs,
        'Redis did not answer in time',
      );
      const missing = rows.filter((_, index) => states[index] === 'unknown').map((row) => row.id);
      if (missing.length > 0 && (await this.enqueue(missing))) result.enqueued.push(...missing.map(String));
      if (rows.length < RECONCILE_BATCH_SIZE) return result;
    }
  }

  /** Waits (bounded) for notifications in flight, then closes the queue and its connection. Idempotent, never throws. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await withTimeout(Promise.allSettled([...this.pending]), this.settings.enqueueTimeoutMs + 2_000, 'closing').catch(() => {});
      await withTimeout(this.bull.close(), 2_000, 'closing').catch(() => {});
      await closeRedis(this.redis);
    })();
    return this.closing;
  }

  private async record(prisma: PrismaClient, job: WebhookJob | string, event: WebhookEvent): Promise<bigint | null> {
    if (this.closing) throw new Error('the webhook dispatcher is closed');
    const row = typeof job === 'string' ? await prisma.job.findUnique({ where: { id: job }, select: WEBHOOK_JOB_COLUMNS }) : job;
    if (!row) throw new Error(`job ${String(job)} does not exist`);
    const id = await recordWebhookDelivery(prisma, row, event);
    if (id === null) return null;
    await this.enqueue([id]);
    this.log.info({ jobId: row.id, event, deliveryId: String(id) }, 'webhook delivery recorded');
    return id;
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

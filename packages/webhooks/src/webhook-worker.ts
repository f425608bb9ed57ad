// The consumer side: a BullMQ Worker that sends deliveries. Retries, with exponential backoff, are BullMQ's
// (attempts and backoff are set on each queue entry by the dispatcher); a delivery that cannot succeed by
// retrying (not http/https, an internal address, tenant gone) fails at once.
import type { PrismaClient } from '@trainyard/db';
import { closeRedis, createRedis } from '@trainyard/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { attemptDelivery, DeliveryAttemptError, type AttemptResult } from './attempt-delivery.ts';
import { parseDeliveryPayload, type DeliveryPayload } from './delivery-queue.ts';
import { describeError, stderrLogger, type WebhookLogger } from './log.ts';
import type { AddressPolicy } from './address-policy.ts';
import { addressPolicyOf, resolveWebhookSettings, type WebhookSettings } from './settings.ts';
import { withTimeout } from './with-timeout.ts';

export interface WebhookWorkerOptions {
  prisma: PrismaClient;
  /** The webhook queue, the same name the dispatcher was given. */
  queueName: string;
  /** Defaults to REDIS_URL, then redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** timeoutMs, concurrency and the address allowance are used here; maxAttempts and backoffMs are the dispatcher's. */
  settings?: Partial<WebhookSettings>;
  log?: WebhookLogger;
}

export class WebhookWorker {
  readonly bull: Worker<DeliveryPayload, AttemptResult>;
  readonly settings: WebhookSettings;
  private readonly policy: AddressPolicy;
  private readonly redis: Redis;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WebhookWorkerOptions) {
    this.settings = resolveWebhookSettings(options.settings);
    this.policy = addressPolicyOf(this.settings);
    const log = options.log ?? stderrLogger;
    // Blocking connection: BullMQ workers need maxRetriesPerRequest null (createRedis's default).
    this.redis = createRedis(options.redisUrl);
    this.bull = new Worker<DeliveryPayload, AttemptResult>(options.queueName, (job) => this.process(job), {
      connection: this.redis,
      concurrency: this.settings.concurrency,
      autorun: false,
    });
    this.bull.on('error', (error) => log.warn({ err: error }, 'webhook worker: Redis trouble'));
    this.bull.on('completed', (job, result) => log.info({ deliveryId: job.data.deliveryId, result }, 'webhook delivered'));
    this.bull.on('failed', (job, error) => {
      if (!job) return;
      const details = { deliveryId: job.data.deliveryId, attempt: job.attemptsMade, error: describeError(error) };
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) log.warn(details, 'webhook delivery given up');
      else log.info(details, 'webhook delivery failed; will retry');
    });
  }

  /** Starts consuming. */
  run(): this {
    void this.bull.run().catch(() => {});
    return this;
  }

  /** Lets sends in flight finish (each is bounded by timeoutMs), then closes. Idempotent, never throws, bounded. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await withTimeout(this.bull.close(), this.settings.timeoutMs + 5_000, 'closing').catch(() => this.bull.close(true).catch(() => {}));
      await closeRedis(this.redis);
    })();
    return this.closing;
  }

  private async process(job: Job<DeliveryPayload, AttemptResult>): Promise<AttemptResult> {
    let deliveryId: bigint;
    try {
      deliveryId = parseDeliveryPayload(job.data);
    } catch (error) {
      throw new UnrecoverableError(describeError(error));
    }
    try {
      return await attemptDelivery(this.options.prisma, deliveryId, { timeoutMs: this.settings.timeoutMs, policy: this.policy });
    } catch (error) {
      if (error instanceof DeliveryAttemptError && !error.retryable) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}

/** A running delivery worker. */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  return new WebhookWorker(options).run();
}

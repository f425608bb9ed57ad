// What a webhook scenario runs against: a fresh PostgreSQL schema, a fresh queue name on the real Redis,
// a tenant with a secret, and a dispatcher plus a delivery worker configured by the test.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type JobStatus, type Prisma, type TestDatabase } from '@trainyard/db';
import { WebhookDispatcher } from '../src/dispatcher.ts';
import type { WebhookLogger } from '../src/log.ts';
import { WEBHOOK_JOB_COLUMNS, type WebhookJob } from '../src/payload.ts';
import type { WebhookSettings } from '../src/settings.ts';
import { startWebhookWorker, type WebhookWorker } from '../src/webhook-worker.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  details: Record<string, unknown>;
}

export class CapturingLogger implements WebhookLogger {
  readonly lines: LogLine[] = [];
  info(details: object, message: string) {
    this.lines.push({ level: 'info', message, details: details as Record<string, unknown> });
  }
  warn(details: object, message: string) {
    this.lines.push({ level: 'warn', message, details: details as Record<string, unknown> });
  }
  error(details: object, message: string) {
    this.lines.push({ level: 'error', message, details: details as Record<string, unknown> });
  }
}

export interface JobFixture {
  status?: JobStatus;
  webhook?: { url: string; events?: string[] } | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  finishedAt?: Date | null;
  metrics?: Prisma.InputJsonObject;
  metadata?: Prisma.InputJsonObject;
}

export class World {
  readonly tenantId = 'ten_webhooks';
  readonly secret = randomBytes(32).toString('hex');
  readonly log = new CapturingLogger();
  private jobCount = 0;
  private started: { dispatcher: WebhookDispatcher; worker: WebhookWorker | null; reachable: boolean }[] = [];

  private constructor(readonly db: TestDatabase) {}

  static async create(name: string): Promise<World> {
    const world = new World(await createTestDatabase({ prefix: name }));
    await world.db.prisma.tenant.create({ data: { id: world.tenantId, name: 'webhooks', webhookSecret: world.secret } });
    return world;
  }

  /**
   * A dispatcher and (unless `worker: false`) a running delivery worker, on a queue of their own so that
   * workers started earlier with other settings never take these deliveries. The receivers listen on
   * 127.0.0.1, which the operator's allow-list must let through: allowed unless `settings` says otherwise.
   */
  start(settings: Partial<WebhookSettings>, options: { worker?: boolean; redisUrl?: string; queueName?: string } = {}) {
    settings = { allowedCidrs: ['127.0.0.1/32'], ...settings };
    const queueName = options.queueName ?? `test-webhooks-${randomBytes(6).toString('hex')}`;
    const dispatcher = new WebhookDispatcher({ queueName, redisUrl: options.redisUrl ?? REDIS_URL, settings, log: this.log });
    const worker = options.worker === false
      ? null
      : startWebhookWorker({ prisma: this.db.prisma, queueName, redisUrl: REDIS_URL, settings, log: this.log });
    this.started.push({ dispatcher, worker, reachable: (options.redisUrl ?? REDIS_URL) === REDIS_URL });
    return { dispatcher, worker, queueName };
  }

  async insertJob(fixture: JobFixture = {}): Promise<WebhookJob> {
    const id = `job_${++this.jobCount}_${randomBytes(4).toString('hex')}`;
    const spec = { model: { layers: [] }, metadata: fixture.metadata ?? null, webhook: fixture.webhook ?? null } as Prisma.InputJsonObject;
    return this.db.prisma.job.create({
      data: {
        id, tenantId: this.tenantId, datasetId: 'builtin:iris', status: fixture.status ?? 'succeeded', spec, epochs: 3, epoch: 3,
        steps: 12, step: 12, metrics: fixture.metrics, errorCode: fixture.errorCode ?? null, errorMessage: fixture.errorMessage ?? null,
        startedAt: new Date(Date.now() - 5_000), finishedAt: fixture.finishedAt === undefined ? new Date() : fixture.finishedAt,
      },
      select: WEBHOOK_JOB_COLUMNS,
    });
  }

  delivery(id: bigint) {
    return this.db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
  }

  /** Everything closes even when one step fails. */
  async close(): Promise<void> {
    const steps: Promise<unknown>[] = [];
    for (const { dispatcher, worker, reachable } of this.started) {
      steps.push((async () => {
        await worker?.close();
        // BullMQ would wait forever for the dead Redis one test points a dispatcher at.
        if (reachable) await Promise.race([dispatcher.bull.obliterate({ force: true }).catch(() => {}), delay(5_000)]);
        await dispatcher.close();
      })());
    }
    await Promise.allSettled(steps);
    await this.db.drop();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

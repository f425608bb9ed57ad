// `npm run start:worker`: one worker process. Run as many as you like, on as many machines, against one
// PostgreSQL (DATABASE_URL) and one Redis (REDIS_URL).
import { availableBackends, selectKernel } from '@trainyard/backprop';
import { loadConfig } from '@trainyard/config';
import { createPrisma } from '@trainyard/db';
import { JobQueue, QueueSubscriber } from '@trainyard/queue';
import { startWebhookWorker, WebhookDispatcher, webhookQueueName } from '@trainyard/webhooks';
import { pino } from 'pino';
import { TrainyardWorker } from './trainyard-worker.ts';

const config = loadConfig();
const log = pino({ level: config.logLevel, base: { service: 'worker', pid: process.pid } });
const prisma = createPrisma({ url: config.databaseUrl, poolSize: config.databasePoolSize });
const queue = new JobQueue({ name: config.queueName, redisUrl: config.redisUrl, retention: config.queueRetention });
const subscriber = new QueueSubscriber(config.redisUrl);
// Worker processes also send the webhooks of the status changes (any process's), from the delivery queue.
const webhookQueue = webhookQueueName(config.queueName);
const webhookLog = log.child({ component: 'webhooks' });
const webhooks = new WebhookDispatcher({ queueName: webhookQueue, redisUrl: config.redisUrl, settings: config.webhooks, log: webhookLog });
const deliveries = startWebhookWorker({ prisma, queueName: webhookQueue, redisUrl: config.redisUrl, settings: config.webhooks, log: webhookLog });

let worker: TrainyardWorker | null = null;
let stopping: Promise<void> | null = null;

/** Idempotent; the process exits within TRAINYARD_SHUTDOWN_TIMEOUT_MS whatever happens. */
function shutdown(reason: string, exitCode: number): Promise<void> {
  stopping ??= (async () => {
    log.info({ reason }, 'worker stopping');
    setTimeout(() => {
      log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await worker?.close();
    await Promise.allSettled([deliveries.close(), webhooks.close(), subscriber.close(), queue.close()]);
    await prisma.$disconnect().catch(() => {});
    log.info('worker stopped');
    process.exit(exitCode);
  })();
  return stopping;
}

process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('unhandledRejection', (error) => {
  log.fatal({ err: error }, 'unhandled rejection');
  void shutdown('unhandled rejection', 1);
});

worker = await TrainyardWorker.start({ config, prisma, queue, subscriber, webhooks, log });
// The queue name is derived from DATABASE_URL unless TRAINYARD_QUEUE is set: it must match the API's.
log.info({ queue: config.queueName, concurrency: config.workerConcurrency, backend: selectKernel().name, backends: availableBackends() }, 'worker ready');

// `npm run start:api`: the HTTP API alone (no training), on PORT.
import { loadConfig } from '@trainyard/config';
import { createPrisma } from '@trainyard/db';
import { closeRedis, createRedis, JobQueue } from '@trainyard/queue';
import { WebhookDispatcher, webhookQueueName } from '@trainyard/webhooks';
import { buildApp } from './app.ts';
import { ensureBootstrapKey } from './auth/tenants.ts';
import { warmBuiltinFingerprints } from './datasets/builtins.ts';
import { Idempotency } from './idempotency.ts';
import { closeAll } from './shutdown.ts';

const IDEMPOTENCY_PURGE_INTERVAL_MS = 3_600_000;

const config = loadConfig();
const prisma = createPrisma({ url: config.databaseUrl, poolSize: config.databasePoolSize });
// Commands fail after a few retries instead of waiting for Redis forever: requests answer while it is down.
const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 3 });
const queue = new JobQueue({ name: config.queueName, redisUrl: config.redisUrl, retention: config.queueRetention });
// Only records and queues deliveries; the worker processes send them.
const webhooks = new WebhookDispatcher({
  queueName: webhookQueueName(config.queueName),
  redisUrl: config.redisUrl,
  settings: config.webhooks,
  // The app's logger (called only once requests flow, after `app` exists).
  log: { info: (details, message) => app.log.info(details, message), warn: (details, message) => app.log.warn(details, message), error: (details, message) => app.log.error(details, message) },
});
const app = await buildApp({ config, prisma, redis, queue, webhooks, bullQueue: queue.bull });

if (config.bootstrapKey !== null) {
  const outcome = await ensureBootstrapKey(prisma, config.bootstrapKey);
  if (outcome === 'revoked') app.log.warn('TRAINYARD_BOOTSTRAP_KEY has been revoked; it stays revoked');
  else app.log.info(`bootstrap API key ${outcome === 'created' ? 'created' : 'present'} for tenant "default"`);
}

const idempotency = new Idempotency(prisma, { ttlHours: config.idempotencyTtlHours });
const purge = setInterval(() => {
  idempotency.purgeExpired().catch((error: unknown) => app.log.warn({ err: error }, 'idempotency purge failed'));
}, IDEMPOTENCY_PURGE_INTERVAL_MS).unref();

warmBuiltinFingerprints();
await app.listen({ port: config.port, host: config.host });

/** Stop accepting, let requests in flight finish, then close every connection; bounded by the shutdown timeout. */
const shutdown = closeAll(
  [
    ['http server', () => app.close()],
    ['queue', () => queue.close()],
    ['webhooks', () => webhooks.close()],
    ['redis', () => closeRedis(redis)],
    ['database', () => prisma.$disconnect()],
  ],
  { timeoutMs: config.shutdownTimeoutMs, log: app.log },
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info(`${signal}: shutting down`);
    clearInterval(purge);
    void shutdown().then((clean) => process.exit(clean ? 0 : 1));
  });
}

import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '@trainyard/config';
import type { PrismaClient } from '@trainyard/db';
import { jobEventsChannel } from '@trainyard/queue';
import { dashboardPlugin } from '@trainyard/dashboard';
import { registerBullBoard } from './bull-board.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { KeyCache } from './auth/key-cache.ts';
import { createRateLimiter } from './auth/rate-limit.ts';
import { KEY_REVOKED_CHANNEL } from './auth/tenants.ts';
import type { AppContext, JobQueuePort, WebhookPort } from './context.ts';
import { answerFrameworkError, registerErrorHandlers } from './error-handler.ts';
import { EventBus } from './event-bus.ts';
import { Idempotency } from './idempotency.ts';
import { JobCache } from './jobs/job-cache.ts';
import { StreamRegistry } from './jobs/stream-registry.ts';
import { createMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { adminRoutes } from './routes/admin.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { jobEventRoutes } from './routes/job-events.ts';
import { jobRoutes } from './routes/jobs.ts';
import { sweepRoutes } from './routes/sweeps.ts';
import { opsRoutes } from './routes/ops.ts';
import { snapshotRoutes } from './routes/snapshots.ts';
import { evaluationRoutes } from './routes/evaluation.ts';
import { weightRoutes } from './routes/weights.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { createStrictValidator, createValidatorCompiler } from './validation.ts';

export interface AppDeps {
  config: Config;
  prisma: PrismaClient;
  /** Commands and publishing; the app makes its own subscriber connection from it. */
  redis: Redis;
  queue: JobQueuePort;
  /** Notified when the API itself changes a job's status (a queued job cancelled); omitted: no webhooks. Belongs to the caller. */
  webhooks?: WebhookPort;
  /** pino options, or false for none (tests). Default: JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  /** The BullMQ queue to show in Bull Board at /admin/queues and to read depth and workers from for /metrics (omitted: neither). */
  bullQueue?: Queue;
}

/**
 * The HTTP API as a Fastify instance (not listening: `main.ts` listens, tests use supertest). Closing it
 * ends open event streams, the Redis subscriber and nothing else: prisma, redis and queue belong to the
 * caller.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, prisma, redis, queue } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: config.limits.bodyLimitBytes,
    // Per-request logs would cost more than the poll they describe; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  // Only JSON, multipart and octet-stream bodies: anything else answers 415 instead of a confusing 400.
  app.removeContentTypeParser('text/plain');
  registerErrorHandlers(app);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: config.limits.bodyLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  const bus = new EventBus(redis.duplicate());
  const keyCache = new KeyCache(config.authCacheTtlMs);
  await bus.subscribe(KEY_REVOKED_CHANNEL, (hash) => keyCache.delete(hash));
  const jobCache = new JobCache(config.jobCacheTtlMs);
  const eventsPrefix = jobEventsChannel('');
  await bus.psubscribe(`${eventsPrefix}*`, (channel) => jobCache.invalidate(channel.slice(eventsPrefix.length)));
  // Messages sent while disconnected are lost: forget what they might have changed.
  bus.onReconnect(() => {
    keyCache.clear();
    jobCache.clear();
  });

  const context: AppContext = {
    config,
    prisma,
    redis,
    queue,
    webhooks: deps.webhooks ?? null,
    bus,
    keyCache,
    jobCache,
    idempotency: new Idempotency(prisma, { ttlHours: config.idempotencyTtlHours }),
    streams: new StreamRegistry(config.limits.maxSseConnectionsPerTenant),
    ajv: createStrictValidator(),
  };

  await registerSecurityHeaders(app, config.corsOrigins);
  await registerOpenApi(app, { port: config.port });

  const registry = createMetrics(app, prisma, deps.bullQueue, config.metricsRefreshMs);
  await app.register(opsRoutes(context, registry));
  await app.register(adminRoutes(context));
  await app.register(async (v1) => {
    v1.addHook('onRequest', createAuthenticator(prisma, keyCache));
    if (config.limits.rateLimitPerMinute > 0) v1.addHook('onRequest', createRateLimiter(redis, config.limits.rateLimitPerMinute));
    // Multipart only where uploads are taken: the plugin adds two async hooks to every request of its
    // scope, which a status poll should not pay for. Elsewhere a multipart body answers 415.
    await v1.register(async (uploads) => {
      await uploads.register(multipart, {
        limits: { fileSize: config.limits.bodyLimitBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 24 },
      });
      await uploads.register(datasetRoutes(context));
      await uploads.register(snapshotRoutes(context));
    });
    await v1.register(jobRoutes(context));
    await v1.register(jobEventRoutes(context));
    await v1.register(weightRoutes(context));
    await v1.register(evaluationRoutes(context));
    await v1.register(sweepRoutes(context));
  });
  if (deps.bullQueue !== undefined) await registerBullBoard(app, deps.bullQueue, config.adminKey);
  await app.register(dashboardPlugin); // the web dashboard at / (apps/dashboard)

  // Open streams would hold server.close() until their clients hang up.
  app.addHook('preClose', async () => context.streams.closeAll());
  app.addHook('onClose', async () => bus.close());
  return app;
}

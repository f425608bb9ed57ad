import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Gauge, type Registry } from 'prom-client';
import { Type } from 'typebox';
import { ApiError } from '@trainyard/contracts';
import { unknownJobCount } from '@trainyard/queue';
import type { AppContext } from '../context.ts';
import { errorResponses } from '../openapi.ts';
import { withTimeout } from '../timeout.ts';
import { EngineStatusSchema, engineStatus } from './engine-status.ts';

const tags = ['operations'];
/** No API key needed. */
const security: never[] = [];
const READY_TIMEOUT_MS = 2000;

export function opsRoutes(context: AppContext, registry: Registry): FastifyPluginAsyncTypebox {
  const engine = engineStatus();
  registerUnknownJobsGauge(context, registry);
  return async (app) => {
    app.get(
      '/healthz',
      { schema: { tags, security, summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags,
          security,
          summary: 'PostgreSQL and Redis answer; names the engine backend, and a faster one with how to get it',
          response: {
            200: Type.Object({
              status: Type.Literal('ok'),
              database: Type.Literal('ok'),
              redis: Type.Literal('ok'),
              backend: Type.String({ description: 'the same as engine.backend' }),
              engine: EngineStatusSchema,
            }),
            ...errorResponses(503),
          },
        },
      },
      async () => {
        const checks = await Promise.allSettled([
          withTimeout(context.prisma.$queryRaw`SELECT 1`, READY_TIMEOUT_MS, 'PostgreSQL'),
          withTimeout(context.redis.ping(), READY_TIMEOUT_MS, 'Redis'),
        ]);
        const failures = checks.flatMap((check, i) =>
          check.status === 'rejected' ? [{ path: i === 0 ? 'database' : 'redis', message: String((check.reason as Error)?.message ?? check.reason) }] : [],
        );
        if (failures.length > 0) throw new ApiError('not_ready', 'a dependency does not answer', failures);
        return { status: 'ok' as const, database: 'ok' as const, redis: 'ok' as const, backend: engine.backend, engine };
      },
    );

    app.get('/metrics', { schema: { tags, security, summary: 'Prometheus metrics (text format)', produces: ['text/plain'] } }, async (_request, reply) => {
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  };
}

/** Job ids workers took off this queue that their database did not know (another deployment on the same queue). */
function registerUnknownJobsGauge(context: AppContext, registry: Registry): void {
  const queueName = context.config.queueName;
  new Gauge({
    name: 'trainyard_queue_unknown_jobs',
    help: 'Queue entries whose job id the taking worker\'s database did not know (another deployment shares TRAINYARD_QUEUE); should stay 0',
    registers: [registry],
    async collect() {
      try {
        this.set(await withTimeout(unknownJobCount(context.redis, queueName), READY_TIMEOUT_MS, 'Redis'));
      } catch {
        // Redis down: /readyz says so; the scrape still answers.
      }
    },
  });
}

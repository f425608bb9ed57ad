import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '@trainyard/db';

const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/**
 * The API's Prometheus registry (one per app, so tests can build several): request latency by route,
 * jobs by status (one grouped count per scrape), and the process defaults.
 */
export function createMetrics(app: FastifyInstance, prisma: PrismaClient): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const latency = new Histogram({
    name: 'trainyard_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'trainyard_jobs',
    help: 'Jobs by status, from PostgreSQL',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await prisma.job.groupBy({ by: ['status'], _count: { _all: true } });
      for (const status of JOB_STATUSES) {
        this.set({ status }, counts.find((count) => count.status === status)?._count._all ?? 0);
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  return registry;
}

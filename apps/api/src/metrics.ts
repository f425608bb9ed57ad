import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { PrismaClient } from '@trainyard/db';
import { registerOpsMetrics } from './ops-metrics.ts';

/**
 * The API's Prometheus registry (one per app, so tests can build several): request latency by route,
 * the PostgreSQL and queue gauges of ops-metrics.ts, and the process defaults.
 */
export function createMetrics(app: FastifyInstance, prisma: PrismaClient, bullQueue: Queue | undefined, refreshMs: number): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerOpsMetrics(registry, prisma, bullQueue, refreshMs);

  const latency = new Histogram({
    name: 'trainyard_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  // A callback hook, not an async one: no promise per request on the hot path.
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  return registry;
}

import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Headers a browser may send to the API cross-origin, and those it may read from the answers. */
const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'];
const CORS_RESPONSE_HEADERS = ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Content-Disposition', 'WWW-Authenticate'];

/**
 * Helmet's headers on every answer, with the default Content-Security-Policy (own scripts only, no inline
 * scripts or handlers, no plugins, no framing by others) under which the dashboard at /, Swagger UI at
 * /docs and Bull Board at /admin/queues load. CORS only for the origins of TRAINYARD_CORS_ORIGINS: bearer
 * keys travel in a header, so no credentials (cookies) are ever allowed. Register before any route.
 */
export async function registerSecurityHeaders(app: FastifyInstance, corsOrigins: string[]): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The API is often served over plain HTTP (localhost, a LAN address): upgraded requests would break its pages.
        'upgrade-insecure-requests': null,
      },
    },
  });
  if (corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: corsOrigins.includes('*') ? '*' : corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_RESPONSE_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}

// The /v1 routes as the served OpenAPI document lists them, so that auth and tenancy walks cover new routes too.
import type { FastifyInstance } from 'fastify';

export interface Route {
  method: string;
  /** Fastify form, e.g. /v1/jobs/:id/cancel */
  path: string;
}

export function v1Routes(app: FastifyInstance): Route[] {
  const document = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method, path: path.replace(/\{(\w+)\}/g, ':$1') })),
    );
}

export function fill(path: string, id: string): string {
  return path.replace(':id', encodeURIComponent(id));
}

// Security headers on every answer, CORS only where configured, and error bodies that never carry internals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ConfigError, loadConfig } from '@trainyard/config';
import { createPrisma } from '@trainyard/db';
import { toApiError, withoutInternals } from '../src/error-handler.ts';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('security_headers');
});
afterAll(async () => api?.close());

const get = (app: FastifyInstance, url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

/** The directives of a Content-Security-Policy header, by name. */
function directives(response: LightMyRequestResponse): Record<string, string> {
  const policy = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(policy.split(';').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [name, ...values] = part.split(/\s+/);
    return [name, values.join(' ')];
  }));
}

describe('security headers', () => {
  it('are on API answers, errors included, and on the dashboard, /docs and /openapi.json', async () => {
    for (const [url, headers] of [['/v1/jobs', api.alice.auth], ['/v1/jobs', {}], ['/nowhere', {}], ['/', {}], ['/docs/', {}], ['/openapi.json', {}], ['/healthz', {}]] as const) {
      const response = await get(api.app, url, headers);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(response.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(response.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('have a CSP the dashboard loads under: its own scripts, no inline script, no plugins, no upgrade of plain HTTP', async () => {
    const page = await get(api.app, '/');
    expect(page.statusCode).toBe(200);
    const csp = directives(page);
    expect(csp).toMatchObject({ 'default-src': "'self'", 'script-src': "'self'", 'script-src-attr': "'none'", 'object-src': "'none'", 'frame-ancestors': "'self'" });
    expect(csp['img-src']).toContain('data:');
    expect(csp).not.toHaveProperty('upgrade-insecure-requests');
    // Everything the built page loads comes from the service itself.
    for (const [, src] of page.body.matchAll(/(?:src|href)="([^"]+)"/g)) expect(src, src).toMatch(/^\//);
  });
});

describe('CORS', () => {
  it('is off unless TRAINYARD_CORS_ORIGINS is set: no Access-Control headers, preflights find no route', async () => {
    const simple = await get(api.app, '/v1/jobs', { ...api.alice.auth, origin: 'https://app.example.test' });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api.app.inject({
      method: 'OPTIONS', url: '/v1/jobs', headers: { origin: 'https://app.example.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.statusCode).toBe(404);
  });

  it('allows exactly the configured origins, without credentials, with the headers the API uses', async () => {
    const config = loadConfig({ ...process.env, TRAINYARD_CORS_ORIGINS: 'https://app.example.test, http://localhost:5173/' });
    expect(config.corsOrigins).toEqual(['https://app.example.test', 'http://localhost:5173']);
    const app = await api.buildAnother({ corsOrigins: config.corsOrigins });

    const allowed = await get(app, '/v1/jobs', { ...api.alice.auth, origin: 'http://localhost:5173' });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(allowed.headers.vary).toContain('Origin');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(allowed.headers['access-control-expose-headers'])).toContain('Retry-After');

    const other = await get(app, '/v1/jobs', { ...api.alice.auth, origin: 'https://evil.example.test' });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await app.inject({
      method: 'OPTIONS', url: '/v1/jobs/job_x',
      headers: { origin: 'https://app.example.test', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization, idempotency-key' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.test');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('DELETE');
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');

    const anyOrigin = await api.buildAnother({ corsOrigins: ['*'] });
    expect((await get(anyOrigin, '/healthz', { origin: 'https://any.example.test' })).headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses a TRAINYARD_CORS_ORIGINS entry that is not an origin', () => {
    for (const bad of ['app.example.test', 'https://app.example.test/path', 'ftp://files.example.test', 'https://']) {
      expect(() => loadConfig({ TRAINYARD_CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});

/** No stack frame, source location, Prisma call site or SQL anywhere in a body. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\n\s+at\s|\bat .+:\d+:\d+|\.[cm]?[jt]s:\d+/);
  expect(body).not.toMatch(/\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b/);
  expect(body).not.toMatch(/prisma\.|Invalid `|node_modules|\/work\//);
}

describe('error bodies', () => {
  it('a database failure inside a route answers 500 internal error, and nothing of the failure', async () => {
    await api.prisma.$executeRawUnsafe('ALTER TABLE "jobs" RENAME TO "jobs_away"');
    try {
      for (const url of ['/v1/jobs', '/v1/jobs/job_x', '/v1/jobs/job_x/metrics']) {
        const response = await get(api.app, url, api.alice.auth);
        expect(response.statusCode, url).toBe(500);
        expect(response.json(), url).toEqual({ error: { code: 'internal', message: 'internal error' } });
        expectNoInternals(response.body);
      }
    } finally {
      await api.prisma.$executeRawUnsafe('ALTER TABLE "jobs_away" RENAME TO "jobs"');
    }
    expect((await get(api.app, '/v1/jobs', api.alice.auth)).statusCode).toBe(200);
  });

  it('a dependency that does not answer is named in /readyz without the client library\'s call site', async () => {
    const broken = createPrisma({ url: 'postgresql://postgres@127.0.0.1:1/nothing', poolSize: 1 });
    try {
      const app = await api.buildAnother({}, { prisma: broken });
      const response = await get(app, '/readyz');
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('not_ready');
      expect(response.json().error.details).toContainEqual(expect.objectContaining({ path: 'database' }));
      expectNoInternals(response.body);
    } finally {
      await broken.$disconnect();
    }
  });

  it('framework errors before routing (an id past the router\'s limit) answer in the contract\'s shape', async () => {
    const response = await get(api.app, `/v1/jobs/${'x'.repeat(150)}`, api.alice.auth);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'bad_request', message: 'a path segment is longer than 100 characters' } });
  });

  it('a library\'s 4xx keeps its status but not its message; anything thrown that is not an error is internal', () => {
    const fromStatic = toApiError(Object.assign(new Error("ENOENT: no such file or directory, stat '/work/main/apps/dashboard/dist/index.html'"), { statusCode: 404 }));
    expect([fromStatic.status, fromStatic.code, fromStatic.message]).toEqual([404, 'not_found', 'not found']);
    const fastify = toApiError(Object.assign(new Error("Unsupported Media Type: text/csv"), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }));
    expect(fastify.message).toBe('Unsupported Media Type: text/csv');
    expect(toApiError(null).code).toBe('internal');
    expect(toApiError('a string' as never).code).toBe('internal');
  });

  it('scrubs stack frames, source locations, Prisma call sites and SQL from any text it answers', () => {
    expect(withoutInternals('\nInvalid `prisma.job.findMany()` invocation in\n/work/main/apps/api/src/routes/jobs.ts:70:40\n\n→ 70 await prisma.job.findMany(\nThe table `public.jobs` does not exist in the current database.'))
      .toBe('The table `public.jobs` does not exist in the current database.');
    expect(withoutInternals('Error: boom\n    at run (/work/main/apps/api/src/x.ts:1:2)\n    at node:internal/process:3:4')).toBe('Error: boom');
    expect(withoutInternals('SELECT "id" FROM "jobs" WHERE "tenantId" = $1')).toBe('a database error (logged)');
    expect(withoutInternals('rows do not match the header: 1 rows have 7 fields; the header has 6 (rows 4)')).toBe('rows do not match the header: 1 rows have 7 fields; the header has 6 (rows 4)');
  });
});

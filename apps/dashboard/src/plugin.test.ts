import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardPlugin } from './plugin.ts';

const INDEX = '<!doctype html><title>Trainyard</title><div id="app"></div>';
const SCRIPT = 'console.log("app")';

let app: FastifyInstance | undefined;
let dir: string | undefined;

afterEach(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  app = undefined;
  dir = undefined;
});

/** An app shaped like the API: a JSON route and a JSON 404, plus the dashboard. */
async function serve(distDir: string): Promise<FastifyInstance> {
  app = Fastify();
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: { code: 'not_found', message: 'no route' } }));
  app.get('/v1/jobs', async () => ({ data: [] }));
  await app.register(dashboardPlugin, { distDir });
  return app;
}

async function builtDist(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'dashboard-dist-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('dashboardPlugin', () => {
  it('serves index.html at / and at every client route, never cached', async () => {
    const server = await serve(await builtDist());
    for (const url of ['/', '/jobs', '/jobs/job_abc', '/datasets', '/datasets/ds_abc', '/datasets/builtin:iris', '/datasets/builtin%3Airis', '/sweeps', '/sweeps/sweep_abc', '/submit', '/sign-in']) {
      const response = await server.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable and other files as they are', async () => {
    const server = await serve(await builtDist());
    const script = await server.inject({ url: '/assets/index-abc123.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(SCRIPT);
    const icon = await server.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API alone: its routes answer, unknown paths keep the JSON 404', async () => {
    const server = await serve(await builtDist());
    expect((await server.inject({ url: '/v1/jobs' })).json()).toEqual({ data: [] });
    for (const url of ['/v1/nope', '/assets/missing.js', '/jobs/a/b', '/datasets/a/b', '/sweeps/a/b']) {
      const response = await server.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('ignores a second registration on the same server instead of failing on duplicate routes', async () => {
    const server = await serve(await builtDist());
    await server.register(dashboardPlugin, { distDir: dir });
    await server.ready();
    expect((await server.inject({ url: '/' })).body).toBe(INDEX);
  });

  it('answers / with how to build the dashboard when it has not been built', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dashboard-empty-'));
    const server = await serve(join(dir, 'dist'));
    const response = await server.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('npm run build -w @trainyard/dashboard');
    expect((await server.inject({ url: '/jobs/job_abc' })).statusCode).toBe(404);
  });
});

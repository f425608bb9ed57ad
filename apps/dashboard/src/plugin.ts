import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, RouteShorthandOptions } from 'fastify';

/** Where `npm run build -w @trainyard/dashboard` writes the app. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

/** Paths the single-page app routes itself: each answers index.html. */
export const CLIENT_ROUTES = ['/', '/jobs', '/jobs/:id', '/datasets', '/datasets/:id', '/sweeps', '/sweeps/:id', '/submit', '/sign-in'];

export interface DashboardOptions {
  /** The Vite build output (default: apps/dashboard/dist). */
  distDir?: string;
}

/** Servers the dashboard is already registered on. */
const servers = new WeakSet<object>();

/** Kept out of the API's OpenAPI document (@fastify/swagger reads `hide`). */
const HIDDEN = { schema: { hide: true } } as RouteShorthandOptions;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trainyard</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Trainyard</h1>
<p>The dashboard has not been built. Build it with</p>
<pre>npm run build -w @trainyard/dashboard</pre>
<p>and restart the API. The API itself is up: see <a href="/docs">/docs</a>.</p>
</body></html>
`;

/**
 * Serves the dashboard: its built files, and index.html for the app's own routes (so a reload of
 * /jobs/job_… works). Registers nothing else, so unknown paths still get the API's JSON 404.
 */
export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async (app, options) => {
  // Registered twice on one server (say by buildApp and by main), the second would crash the start on
  // duplicate routes: it is a no-op instead.
  if (servers.has(app.server)) {
    app.log.warn('dashboardPlugin is registered more than once; the later registrations are ignored');
    return;
  }
  servers.add(app.server);
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  if (!existsSync(join(distDir, 'index.html'))) {
    app.get('/', HIDDEN, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
    return;
  }
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    // One route per built file (read at start), instead of a catch-all that would shadow the API's 404.
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Vite puts a content hash in every asset name: those never change. index.html must be re-read.
      const immutable = path.startsWith(join(distDir, 'assets'));
      reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  for (const route of CLIENT_ROUTES) {
    app.get(route, HIDDEN, async (_request, reply) => reply.sendFile('index.html'));
  }
};

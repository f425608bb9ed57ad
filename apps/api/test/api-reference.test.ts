// docs/api.md is the project's API reference: it names every route the service registers, every route it names is
// served, and its error catalogue is packages/contracts' one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '@trainyard/contracts';
import { CLIENT_ROUTES, DEFAULT_DIST_DIR } from '@trainyard/dashboard';
import { startTestApi, type TestApi } from './harness.ts';

const REFERENCE = fileURLToPath(new URL('../../../docs/api.md', import.meta.url));
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const text = readFileSync(REFERENCE, 'utf8');

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('api_reference');
});
afterAll(async () => api?.close());

interface Route {
  method: string;
  url: string;
}

/** Every route of the app, from Fastify's route tree (`printRoutes`): parents' segments joined, HEAD left out. */
function registeredRoutes(): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of api.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1].length / 4;
    prefixes[depth] = depth === 0 ? match[2] : prefixes[depth - 1] + match[2];
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) routes.push({ method, url: prefixes[depth] });
  }
  return routes;
}

/** `METHOD /path` in backticks, as the reference names routes; `*` for any method, a trailing `/*` for a subtree. */
function namedRoutes(): Route[] {
  return [...text.matchAll(/`(GET|POST|DELETE|PUT|PATCH|\*) (\/[^`\s?]*)[^`]*`/g)].map(([, method, url]) => ({ method, url }));
}

/** The dashboard's build (`npm run build`); without one the plugin serves a page saying so, at / only. */
const built = existsSync(join(DEFAULT_DIST_DIR, 'index.html'));
const dashboardFiles = (built ? readdirSync(DEFAULT_DIST_DIR, { recursive: true, withFileTypes: true }) : [])
  .filter((entry) => entry.isFile())
  .map((entry) => `/${relative(DEFAULT_DIST_DIR, join(entry.parentPath, entry.name))}`);

function isNamed(route: Route, named: Route[]): boolean {
  return named.some(({ method, url }) => {
    if (method !== '*' && method !== route.method) return false;
    if (url === '/{file}') return dashboardFiles.includes(route.url);
    if (url === '/{page}') return CLIENT_ROUTES.includes(route.url);
    if (url.endsWith('/*')) return route.url === url.slice(0, -2) || route.url.startsWith(url.slice(0, -1));
    return url === route.url;
  });
}

describe('docs/api.md', () => {
  it('names every route the service registers', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const named = namedRoutes();
    const missing = routes.filter((route) => !isNamed(route, named)).map(({ method, url }) => `${method} ${url}`);
    expect(missing, 'routes the service serves that docs/api.md does not name').toEqual([]);
  });

  it('names only routes the service serves', () => {
    const routes = registeredRoutes();
    const unserved = namedRoutes()
      .filter(({ method, url }) => {
        if (url === '/{file}') return built && dashboardFiles.length === 0;
        if (url === '/{page}') return built && !CLIENT_ROUTES.every((page) => api.app.hasRoute({ method: 'GET', url: page }));
        if (url.endsWith('/*')) return !routes.some((route) => route.url.startsWith(url.slice(0, -1)));
        return !api.app.hasRoute({ method: method as 'GET', url });
      })
      .map(({ method, url }) => `${method} ${url}`);
    expect(unserved, 'routes docs/api.md names that the service does not serve').toEqual([]);
  });

  it('lists each OpenAPI operation with its operationId', async () => {
    const document = (await api.http.get('/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const row = `| \`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}\` |`;
        const line = text.split('\n').find((candidate) => candidate.startsWith(row));
        expect(line, row).toBeDefined();
        expect(line, row).toContain(`| \`${operation.operationId}\` |`);
      }
    }
  });

  it('holds the error catalogue: every code with its status and whether it is retryable', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      if ('jobOnly' in entry) {
        expect(text, code).toContain(`\`${code}\``);
        continue;
      }
      expect(text, code).toContain(`| \`${code}\` | ${entry.status} | ${entry.retryable ? 'yes' : 'no'} |`);
    }
  });

  it('is the reference the README links to', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain('](docs/api.md)');
    expect(readme).not.toMatch(/\]\(\.\.\/shared\//);
  });
});

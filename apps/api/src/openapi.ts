import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { codesAnsweredWith, ERRORS, ErrorResponse, type ErrorCode } from '@trainyard/contracts';

/** Response schemas for the error statuses a route can answer, all in the contract's error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

const STATUS_MEANINGS: Record<number, string> = {
  400: 'The request is malformed',
  401: 'No API key, or an unknown or revoked one',
  404: 'No such route or resource (another tenant\'s ids too)',
  409: 'The resource is in the wrong state, or the Idempotency-Key was used with another body',
  413: 'The body is larger than TRAINYARD_BODY_LIMIT_BYTES',
  415: 'The Content-Type is not one this route takes',
  422: 'Valid JSON that cannot be done',
  429: 'Rate limited or over a tenant limit: retry after Retry-After seconds',
  500: 'An unexpected failure on our side (logged; the body never carries its cause)',
  503: 'A dependency does not answer',
};

function errorResponse(status: number) {
  const codes = codesAnsweredWith(status).map((code) => `\`${code}\``).join(', ');
  return {
    description: `${STATUS_MEANINGS[status] ?? 'Error'}. \`error.code\`: ${codes}.`,
    content: { 'application/json': { schema: ErrorResponse } },
  };
}

const table = (codes: ErrorCode[]) =>
  codes.map((code) => `| \`${code}\` | ${ERRORS[code].status} | ${ERRORS[code].retryable ? 'yes' : 'no'} | ${ERRORS[code].description} |`).join('\n');
const httpCodes = (Object.keys(ERRORS) as ErrorCode[]).filter((code) => codesAnsweredWith(ERRORS[code].status).includes(code));
const jobCodes = (Object.keys(ERRORS) as ErrorCode[]).filter((code) => !httpCodes.includes(code));

/** The document's frame; @fastify/swagger fills `paths` from the route schemas. `port`: where the static document says the API is. */
export function openApiDocument(port: number) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trainyard',
      version: '0.1.0',
      description:
        'Training as a service: upload a dataset, submit a dense network, follow its training, download the weights, predict.\n\n' +
        '`servers`: `GET /openapi.json` names the origin it was fetched from (behind a proxy, its Host; X-Forwarded-Proto and -Host only where the API trusts the proxy); ' +
        `the document the service builds for itself (\`/docs\`, \`npm run openapi -w @trainyard/api\`) names http://localhost:PORT (${port}).\n\n` +
        'Every error answers `{ "error": { "code", "message", "details"? } }`:\n\n| code | status | retryable | meaning |\n|---|---|---|---|\n' +
        table(httpCodes) +
        '\n\nA failed job carries one of these, or one of the above, in `error.code` (never an HTTP status):\n\n| code | | retryable | meaning |\n|---|---|---|---|\n' +
        table(jobCodes).replaceAll(/\| 422 \|/g, '| |'),
    },
    servers: [{ url: `http://localhost:${port}`, description: 'The API on this machine (PORT)' }],
    tags: [
      { name: 'datasets', description: 'Tables to train on: uploads and the built-ins' },
      { name: 'jobs', description: 'Training jobs: submit, follow, evaluate, predict' },
      { name: 'snapshots', description: 'Weights saved during and after training, and uploaded weights' },
      { name: 'sweeps', description: 'Hyperparameter searches: trials are jobs' },
      { name: 'admin', description: 'Needs TRAINYARD_ADMIN_KEY; answers 404 when it is not set' },
      { name: 'operations', description: 'Health, readiness and Prometheus metrics; no API key' },
    ],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http' as const, scheme: 'bearer', description: 'An API key: Authorization: Bearer ty_…' },
        adminKey: { type: 'http' as const, scheme: 'bearer', description: 'TRAINYARD_ADMIN_KEY' },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}

/**
 * A stable camelCase id from the route: `GET /v1/jobs` → listJobs, `GET /v1/jobs/:id` → getJob,
 * `POST /v1/jobs` → createJob, `POST /v1/jobs/:id/cancel` → cancelJob, `POST /admin/tenants/:id/keys` →
 * createAdminTenantKey, `DELETE /admin/keys/:id` → deleteAdminKey, `GET /v1/jobs/:id/weights` → getJobWeights.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url.split('/').filter((segment) => segment !== '' && segment !== 'v1');
  const isParam = (segment: string | undefined) => segment !== undefined && /^[:{]/.test(segment);
  const nouns: string[] = [];
  segments.forEach((segment, i) => {
    if (!isParam(segment)) nouns.push(isParam(segments[i + 1]) ? singular(segment) : segment);
  });
  const last = segments.at(-1) ?? '';
  const afterParam = isParam(segments.at(-2));
  const underPrefix = /^\/(v1|admin)\//.test(url);
  let verb: string;
  switch (method.toUpperCase()) {
    case 'GET':
      verb = !isParam(last) && !afterParam && underPrefix ? 'list' : 'get';
      break;
    case 'POST':
      if (!isParam(last) && afterParam && !last.endsWith('s')) {
        verb = nouns.pop() ?? 'post'; // an action on a resource: cancel, replay, predict
      } else {
        verb = 'create';
        if (!isParam(last)) nouns.push(singular(nouns.pop() ?? ''));
      }
      break;
    default:
      verb = method.toLowerCase();
  }
  return camelCase([verb, ...nouns]);
}

function singular(word: string): string {
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  return word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

function camelCase(words: string[]): string {
  const parts = words.flatMap((word) => word.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  return parts.map((part, i) => (i === 0 ? part.toLowerCase() : part[0].toUpperCase() + part.slice(1).toLowerCase())).join('');
}

/**
 * The error statuses any route answers from its shape, besides those it declares: 400 for input that
 * breaks its schemas, 413/415 for bodies, 401/429 under /v1 (keys, rate and tenant limits), 401/404 under
 * /admin (no admin key: 404), 404 for unknown ids, and 500 everywhere.
 */
function impliedStatuses(schema: FastifySchema, url: string): number[] {
  const statuses = [500];
  if (schema.params !== undefined || schema.querystring !== undefined || schema.headers !== undefined || schema.body !== undefined) statuses.push(400);
  if (schema.body !== undefined) statuses.push(413, 415);
  if (url.startsWith('/v1/')) statuses.push(401, 429);
  if (url.startsWith('/admin/')) statuses.push(401, 404);
  if (schema.params !== undefined) statuses.push(404);
  return statuses;
}

/** What @fastify/swagger says of a route without response schemas, in its content types. */
function undeclaredSuccess(schema: FastifySchema) {
  const types = (schema as { produces?: string[] }).produces ?? ['application/json'];
  return { description: 'Default Response', content: Object.fromEntries(types.map((type) => [type, { schema: type.includes('json') ? {} : { type: 'string' } }])) };
}

/** Per route: its operationId (unless it sets one) and every error status it can answer, each described. */
function documentRoute(): SwaggerTransform {
  const seen = new WeakMap<object, Map<string, string>>();
  return ({ schema, url, route, ...document }) => {
    if (schema === undefined || (schema as { hide?: boolean }).hide === true) return { schema, url };
    const method = ([route.method].flat() as string[]).find((candidate) => candidate !== 'HEAD') ?? 'GET';
    const operationId = (schema as { operationId?: string }).operationId ?? operationIdOf(method, url);
    const ids = seen.get('openapiObject' in document ? document.openapiObject : document) ?? new Map<string, string>();
    seen.set('openapiObject' in document ? document.openapiObject : document, ids);
    const where = `${method} ${url}`;
    if (ids.has(operationId) && ids.get(operationId) !== where) {
      throw new Error(`operationId ${operationId} of ${where} is also ${ids.get(operationId)}'s: give one of them its own schema.operationId`);
    }
    ids.set(operationId, where);

    const responses: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
    if (!Object.keys(responses).some((status) => Number(status) < 400)) responses[200] = undeclaredSuccess(schema);
    const declared = Object.keys(responses).map(Number).filter((status) => status >= 400);
    for (const status of new Set([...declared, ...impliedStatuses(schema, url)])) responses[status] = errorResponse(status);
    return { url, schema: { ...schema, operationId, response: responses } };
  };
}

/**
 * TypeBox writes tuples in the draft-07 form (`items: [...]`, `additionalItems`); OpenAPI 3.1 schemas are
 * JSON Schema 2020-12, where a tuple is `prefixItems` and `items: false`. Rewrites them in place.
 */
function toJsonSchema2020(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(toJsonSchema2020);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.items)) {
    schema.prefixItems = schema.items;
    if (schema.additionalItems === undefined || schema.additionalItems === true) delete schema.items;
    else schema.items = schema.additionalItems;
    delete schema.additionalItems;
  }
  Object.values(schema).forEach(toJsonSchema2020);
}

/** The origin a request reached, when its Host is a plain host[:port]; otherwise the static servers stay. */
export function servedFrom(request: FastifyRequest): { url: string; description: string }[] | undefined {
  const host = request.host;
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return undefined;
  return [{ url: `${request.protocol}://${host}`, description: 'The API, as this document was fetched' }];
}

function withServers<T extends object>(document: T, request: FastifyRequest): T {
  const servers = servedFrom(request);
  return servers === undefined ? document : { ...document, servers };
}

/** The OpenAPI document at /openapi.json and its UI at /docs. Register before any route. */
export async function registerOpenApi(app: FastifyInstance, options: { port: number }): Promise<void> {
  await app.register(swagger, {
    openapi: openApiDocument(options.port),
    transform: documentRoute(),
    // A copy: the document may share objects with the route schemas the validators use.
    transformObject: (documentObject) => {
      const document = structuredClone('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject);
      toJsonSchema2020(document);
      return document;
    },
  });
  // Built once at start, so that two routes deriving one operationId stop the start, not a later request.
  app.addHook('onReady', async () => void app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecificationClone: false,
    transformSpecification: (document, request) => withServers(document, request),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async (request) => withServers(app.swagger(), request));
}

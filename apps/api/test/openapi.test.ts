// The served OpenAPI document: operationIds, servers, request defaults, and error statuses that are those the routes answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { resolveTrainingConfig, TRAINING_DEFAULTS } from '@trainyard/backprop';
import { ERRORS, JobSubmitBody, type ErrorCode } from '@trainyard/contracts';
import { DEFAULT_SNAPSHOT_POLICY, DEFAULT_WEBHOOK_EVENTS } from '../src/jobs/prepare.ts';
import { operationIdOf } from '../src/openapi.ts';
import { createValidatorCompiler } from '../src/validation.ts';
import { ADMIN_KEY, startTestApi, type TestApi } from './harness.ts';

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, unknown> };
  parameters?: { in: string; name: string }[];
  responses: Record<string, { description: string }>;
}
type Document = { servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };
type Schema = { properties?: Record<string, Schema>; anyOf?: Schema[]; default?: unknown; description?: string };

const BODY_LIMIT = 4096;
let api: TestApi;
let document: Document;
let operations: { method: string; path: string; operation: Operation }[];

beforeAll(async () => {
  api = await startTestApi('openapi', { TRAINYARD_BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  document = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
});
afterAll(async () => api?.close());

describe('operationId', () => {
  it('every operation has one, unique and camelCase', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9]+$/.test(id)), ids.join(', ')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is derived from the method and path, so it stays the same while the route does', () => {
    const byRoute = Object.fromEntries(operations.map(({ method, path, operation }) => [`${method} ${path}`, operation.operationId]));
    expect(byRoute).toMatchObject({
      'GET /v1/jobs': 'listJobs', 'POST /v1/jobs': 'createJob', 'GET /v1/jobs/{id}': 'getJob', 'DELETE /v1/jobs/{id}': 'deleteJob',
      'POST /v1/jobs/{id}/cancel': 'cancelJob', 'POST /v1/jobs/{id}/predict': 'predictJob', 'GET /v1/jobs/{id}/weights': 'getJobWeights',
      'GET /v1/snapshots/{id}/weights': 'getSnapshotWeights', 'POST /v1/datasets': 'createDataset', 'GET /v1/datasets': 'listDatasets',
      'POST /admin/tenants': 'createAdminTenant', 'POST /admin/tenants/{id}/keys': 'createAdminTenantKey', 'DELETE /admin/keys/{id}': 'deleteAdminKey',
      'GET /healthz': 'getHealthz', 'GET /readyz': 'getReadyz', 'GET /metrics': 'getMetrics',
    });
    expect(operationIdOf('POST', '/v1/categories/:id/entries')).toBe('createCategoryEntry');
    expect(operationIdOf('GET', '/openapi.json')).toBe('getOpenapiJson');
  });
});

describe('servers', () => {
  const served = async (url: string, headers: Record<string, string>) =>
    ((await api.app.inject({ method: 'GET', url, headers })).json() as Document).servers;

  it('GET /openapi.json and /docs/json name the origin they were fetched from', async () => {
    expect(await served('/openapi.json', { host: 'trainyard.example.test:8443' })).toEqual([{ url: 'http://trainyard.example.test:8443', description: expect.any(String) }]);
    expect((await served('/docs/json', { host: '[::1]:3000' }))[0].url).toBe('http://[::1]:3000');
  });

  it('trusts no forwarded header by default and falls back to PORT on a Host that is not a host', async () => {
    expect((await served('/openapi.json', { host: 'a.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' }))[0].url).toBe('http://a.test');
    expect((await served('/openapi.json', { host: 'a.test/"><script>' }))[0].url).toBe(`http://localhost:${api.config.port}`);
  });

  it('the document the service builds for itself names http://localhost:PORT', () => {
    expect((api.app.swagger() as { servers?: unknown }).servers).toEqual([{ url: `http://localhost:${api.config.port}`, description: expect.any(String) }]);
  });
});

/** The properties of an object schema, looking through `anyOf` (nullable objects). */
function propertiesOf(schema: Schema): Record<string, Schema> {
  return schema.properties ?? schema.anyOf?.find((member) => member.properties)?.properties ?? {};
}
const defaultsOf = (schema: Schema) =>
  Object.fromEntries(Object.entries(propertiesOf(schema)).filter(([, property]) => 'default' in property).map(([name, property]) => [name, property.default]));

describe('request defaults', () => {
  const jobBody = () => (document.paths['/v1/jobs'].post.requestBody!.content['application/json'] as { schema: Schema }).schema;
  const context = { task: 'classification' as const, outputActivation: 'softmax' as const };

  it('are the engine\'s: training, optimizer and early stopping defaults equal what resolveTrainingConfig fills in', () => {
    const training = propertiesOf(jobBody()).training;
    const resolved = resolveTrainingConfig(undefined, context);
    const { optimizer: _optimizer, ...trainingDefaults } = defaultsOf(training);
    expect(trainingDefaults).toEqual({
      epochs: 20, batchSize: 32, validationSplit: 0.2, shuffle: true, seed: 42, normalize: true,
      earlyStopping: null, metricsEverySteps: 0, testSplit: 0, classWeights: null, maxCategories: 50,
    });
    for (const [name, value] of Object.entries(trainingDefaults)) expect(resolved[name as keyof typeof resolved], name).toEqual(value);
    expect(TRAINING_DEFAULTS).toMatchObject({ epochs: 20, batchSize: 32, validationSplit: 0.2 });

    const optimizer = defaultsOf(propertiesOf(training).optimizer);
    expect(Object.keys(optimizer).sort()).toEqual(['beta1', 'beta2', 'epsilon', 'momentum', 'nesterov', 'type', 'weightDecay']);
    expect(resolved.optimizer).toMatchObject(optimizer);
    expect(propertiesOf(propertiesOf(training).optimizer).learningRate.description).toContain(`${TRAINING_DEFAULTS.adamLearningRate} for adam, ${TRAINING_DEFAULTS.sgdLearningRate} for sgd`);

    const earlyStopping = defaultsOf(propertiesOf(training).earlyStopping);
    expect(earlyStopping).toEqual({ patience: 10, minDelta: 0, restoreBest: true });
    expect(resolveTrainingConfig({ earlyStopping: {} }, context).earlyStopping).toMatchObject(earlyStopping);
  });

  it('are the API\'s for snapshots and webhooks', () => {
    expect(defaultsOf(propertiesOf(jobBody()).snapshots)).toEqual(DEFAULT_SNAPSHOT_POLICY);
    expect(defaultsOf(propertiesOf(jobBody()).webhook)).toEqual({ events: DEFAULT_WEBHOOK_EVENTS });
  });

  it('are never inserted by the body validator: the stored spec is the same as without them', async () => {
    const validate = createValidatorCompiler()({ schema: JobSubmitBody, httpPart: 'body', method: 'POST', url: '/v1/jobs' }) as (value: unknown) => boolean;
    const body = { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] }, training: { earlyStopping: {} }, webhook: { url: 'https://hooks.example.test/x' } };
    const copy = structuredClone(body);
    expect(validate(copy)).toBe(true);
    expect(copy).toEqual(body);

    const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } });
    expect(submitted.status).toBe(202);
    expect(submitted.body.training).toEqual(resolveTrainingConfig(undefined, context));
    expect(submitted.body.snapshots).toEqual(DEFAULT_SNAPSHOT_POLICY);
  });
});

describe('error statuses', () => {
  const fill = (path: string, id: string) => path.replace('{id}', encodeURIComponent(id));
  const authFor = (path: string) => (path.startsWith('/admin') ? { authorization: `Bearer ${ADMIN_KEY}` } : { authorization: api.alice.auth.Authorization });
  const takesBody = (operation: Operation) => operation.requestBody !== undefined;
  const hasQuery = (operation: Operation) => operation.parameters?.some((parameter) => parameter.in === 'query') ?? false;

  /** The answer's status is one the operation documents, with a code the catalogue gives that status and the document names. */
  function expectDocumented(response: LightMyRequestResponse, method: string, path: string, operation: Operation, probe: string): void {
    const where = `${method} ${path} (${probe}) → ${response.statusCode} ${response.body.slice(0, 200)}`;
    expect(Object.keys(operation.responses), where).toContain(String(response.statusCode));
    if (response.statusCode < 400) return;
    const code = response.json().error.code as ErrorCode;
    expect(ERRORS[code]?.status, where).toBe(response.statusCode);
    expect(operation.responses[response.statusCode].description, where).toContain(`\`${code}\``);
  }

  it('without a key: 401 on /v1 and /admin, documented', async () => {
    for (const { method, path, operation } of operations.filter(({ path }) => /^\/(v1|admin)\//.test(path))) {
      const response = await api.app.inject({ method: method as 'GET', url: fill(path, 'x1') });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
      expectDocumented(response, method, path, operation, 'no key');
    }
  });

  it('an id past its schema: 400; an unknown id: 404 (or what the body says first), documented', async () => {
    for (const { method, path, operation } of operations.filter(({ path }) => path.includes('{id}'))) {
      const long = await api.app.inject({ method: method as 'GET', url: fill(path, 'x'.repeat(101)), headers: authFor(path) });
      expect(long.statusCode, `${method} ${path}`).toBe(400);
      expectDocumented(long, method, path, operation, 'long id');
      const unknown = await api.app.inject({ method: method as 'GET', url: fill(path, 'nope_0000'), headers: authFor(path) });
      if (!takesBody(operation)) expect(unknown.statusCode, `${method} ${path}`).toBe(404);
      expectDocumented(unknown, method, path, operation, 'unknown id');
    }
  });

  it('a body of another type: 415; a body over the limit: 413; an unknown query parameter: 400, documented', async () => {
    const ids = { job: (await api.http.post('/v1/jobs').set(api.alice.auth).send({ dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] } })).body.id };
    for (const { method, path, operation } of operations) {
      const url = fill(path, ids.job);
      if (takesBody(operation)) {
        const text = await api.app.inject({ method: method as 'POST', url, headers: { ...authFor(path), 'content-type': 'text/plain' }, payload: 'hello' });
        expect(text.statusCode, `${method} ${path}`).toBe(415);
        expectDocumented(text, method, path, operation, 'text/plain');
        const type = Object.keys(operation.requestBody!.content)[0] === 'application/octet-stream' ? 'application/octet-stream' : 'application/json';
        const big = await api.app.inject({ method: method as 'POST', url, headers: { ...authFor(path), 'content-type': type }, payload: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT * 2) }) });
        expect(big.statusCode, `${method} ${path}`).toBe(413);
        expectDocumented(big, method, path, operation, 'too large');
      }
      if (hasQuery(operation) && !path.endsWith('/events')) {
        const query = await api.app.inject({ method: method as 'GET', url: `${url}?bogus=1`, headers: authFor(path) });
        expect(query.statusCode, `${method} ${path}`).toBe(400);
        expectDocumented(query, method, path, operation, 'unknown query parameter');
      }
    }
  });

  it('past the rate limit: 429 on every /v1 operation, documented', async () => {
    const limited = await api.buildAnother({ limits: { ...api.config.limits, rateLimitPerMinute: 1 } });
    const tenant = await api.newTenant('limited');
    for (const { method, path, operation } of operations.filter(({ path }) => path.startsWith('/v1/'))) {
      const response = await limited.inject({ method: method as 'GET', url: fill(path, 'nope_0000'), headers: tenant.auth });
      if (response.statusCode !== 429) continue; // the first request of the minute passes
      expect(response.headers['retry-after']).toBeDefined();
      expectDocumented(response, method, path, operation, 'rate limited');
    }
  });

  it('ragged CSV rows answer 422 invalid_dataset and unreadable CSV 400 malformed_dataset, as catalogued and documented', async () => {
    const upload = operations.find(({ method, path }) => method === 'POST' && path === '/v1/datasets')!;
    const send = (content: string) =>
      api.app.inject({ method: 'POST', url: '/v1/datasets', headers: authFor('/v1'), payload: { name: 'd', format: 'csv', content, target: 'y' } });
    const ragged = await send('a,b,y\n1,2,0\n1,2\n3,4,1\n');
    expect([ragged.statusCode, ragged.json().error.code]).toEqual([422, 'invalid_dataset']);
    expect(ragged.json().error.details).toContainEqual(expect.objectContaining({ row: 2, examples: [2] }));
    expectDocumented(ragged, 'POST', '/v1/datasets', upload.operation, 'ragged rows');
    expect(ERRORS.invalid_dataset.description).toContain('a row with another number of fields than the header');
    expect(ERRORS.malformed_dataset.description).not.toMatch(/ragged|number of fields/);

    const unreadable = await send('a,b,y\n1,"2,0\n');
    expect([unreadable.statusCode, unreadable.json().error.code]).toEqual([400, 'malformed_dataset']);
    expectDocumented(unreadable, 'POST', '/v1/datasets', upload.operation, 'unterminated quote');
  });

  it('every status of the catalogue\'s HTTP codes is documented by some operation', () => {
    const documented = new Set(operations.flatMap(({ operation }) => Object.keys(operation.responses)));
    for (const [code, entry] of Object.entries(ERRORS)) {
      if (!('jobOnly' in entry)) expect(documented.has(String(entry.status)), code).toBe(true);
    }
  });
});

// The served OpenAPI document is good enough to generate a client from: openapi-typescript makes its types, a small
// program written against them with openapi-fetch type-checks (and a wrong body does not), then runs against a real API.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';

// Inside apps/api, so that the generated files resolve openapi-fetch as the workspace installed it.
const DIR = fileURLToPath(new URL(`../node_modules/.cache/typed-client-${process.pid}/`, import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const PROGRAM = `import createClient from 'openapi-fetch';
import type { paths } from './schema.ts';

type JobStatus = paths['/v1/jobs/{id}']['get']['responses'][200]['content']['application/json']['status'];

export async function run(baseUrl: string, apiKey: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${apiKey}\` } });
  const datasets = await client.GET('/v1/datasets', { params: { query: { limit: 10 } } });
  const ids: string[] = datasets.data?.data.map((dataset) => dataset.id) ?? [];
  const submitted = await client.POST('/v1/jobs', {
    body: { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' }] }, training: { epochs: 2, optimizer: { type: 'sgd' } } },
    headers: { 'idempotency-key': 'typed-client' },
  });
  if (submitted.data === undefined) throw new Error(\`submit failed: \${JSON.stringify(submitted.error)}\`);
  const job = await client.GET('/v1/jobs/{id}', { params: { path: { id: submitted.data.id } } });
  const status: JobStatus | undefined = job.data?.status;
  const missing = await client.GET('/v1/jobs/{id}', { params: { path: { id: 'job_missing' } } });
  const code: string | undefined = missing.error?.error.code;
  return { ids, submitted: submitted.response.status, epochs: job.data?.training.epochs, status, missing: missing.response.status, code };
}

// Never called: what the types must refuse.
export function refused(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error epochs is an integer, not a string
  void client.POST('/v1/jobs', { body: { dataset: 'builtin:iris', model: { layers: [] }, training: { epochs: 'many' } } });
  // @ts-expect-error no such route
  void client.GET('/v1/nothing');
  // @ts-expect-error an activation the API does not have
  void client.POST('/v1/jobs', { body: { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'gelu' }] } } });
}
`;

let api: TestApi;
let baseUrl: string;
beforeAll(async () => {
  api = await startTestApi('typed_client');
  baseUrl = await api.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(DIR, { recursive: true });
});
afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await api?.close();
});

describe('a client generated from /openapi.json', () => {
  it('type-checks, refuses what the API refuses, and calls the API', async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Parameters<typeof openapiTS>[0] & { servers: { url: string }[] };
    expect(document.servers[0].url).toBe(baseUrl);
    await writeFile(join(DIR, 'schema.ts'), astToString(await openapiTS(document)));
    await writeFile(join(DIR, 'program.ts'), PROGRAM);

    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--allowImportingTsExtensions'];
    const checked = await promisify(execFile)(process.execPath, [TSC, ...flags, join(DIR, 'program.ts')]).catch((error: { stdout: string }) => error);
    expect('stdout' in checked ? checked.stdout : '', 'tsc on the generated client').toBe('');

    const program = (await import(pathToFileURL(join(DIR, 'program.ts')).href)) as { run(baseUrl: string, apiKey: string): Promise<Record<string, unknown>> };
    const result = await program.run(document.servers[0].url, api.alice.key);
    expect(result).toEqual({ ids: expect.arrayContaining(['builtin:iris']), submitted: 202, epochs: 2, status: 'queued', missing: 404, code: 'not_found' });
  }, 120_000);
});

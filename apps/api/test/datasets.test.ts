import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('datasets', { TRAINYARD_MAX_DATASET_ROWS: '50' });
});
afterAll(async () => api?.close());

const CSV = 'x1,x2,label\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const BUILTINS = ['builtin:xor', 'builtin:spirals', 'builtin:iris', 'builtin:mnist'];

async function upload(name: string, auth = api.alice.auth) {
  const response = await api.http.post('/v1/datasets').set(auth).send({ name, format: 'csv', content: CSV, target: 'label', task: 'classification' });
  expect(response.status).toBe(201);
  return response.body;
}

describe('POST /v1/datasets', () => {
  it('parses a CSV sent in a JSON body and stores its typed columns, the original and its digest', async () => {
    const response = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'xor-csv', format: 'csv', content: CSV, target: 'label', task: 'classification' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^ds_/),
      name: 'xor-csv',
      task: 'classification',
      rows: 4,
      features: ['x1', 'x2'],
      target: 'label',
      classes: ['no', 'yes'],
      sizeBytes: Buffer.byteLength(CSV),
      sha256: sha256(CSV),
      createdAt: expect.any(String),
      builtin: false,
      rowsWithoutTarget: 0,
      columns: [
        { name: 'x1', type: 'number', role: 'feature', missing: 0, distinct: 2, mean: 0.5, std: 0.5, min: 0, max: 1 },
        { name: 'x2', type: 'number', role: 'feature', missing: 0, distinct: 2, mean: 0.5, std: 0.5, min: 0, max: 1 },
        { name: 'label', type: 'boolean', role: 'target', missing: 0, distinct: 2, topValues: [{ value: 'no', count: 2 }, { value: 'yes', count: 2 }] },
      ],
    });
    const row = await api.prisma.dataset.findUniqueOrThrow({ where: { id: response.body.id } });
    expect(Buffer.from(row.original).toString()).toBe(CSV);
    expect([row.x, row.y]).toEqual([null, null]);
    const columns = await api.prisma.datasetColumn.findMany({ where: { datasetId: row.id }, orderBy: { position: 'asc' } });
    expect(columns.map((c) => [c.name, c.type, c.data])).toEqual([['x1', 'number', null], ['x2', 'number', null], ['label', 'category', null]]);
    const chunk = async (position: number) => {
      const chunks = await api.prisma.datasetColumnChunk.findMany({ where: { datasetId: row.id, position }, orderBy: { chunk: 'asc' } });
      expect(chunks.map((c) => [c.chunk, c.rows])).toEqual([[0, 4]]);
      return new Uint8Array(chunks[0].data).buffer;
    };
    expect(Array.from(new Float64Array(await chunk(1)))).toEqual([0, 1, 0, 1]);
    expect(Array.from(new Int32Array(await chunk(2)))).toEqual([0, 1, 1, 0]);
    expect(columns[2].dictionary).toEqual(['no', 'yes']);
    expect(row.tenantId).toBe(api.alice.id);
  });

  it('accepts JSON rows, as an array or as text', async () => {
    const rows = [{ a: 1, b: 2, t: 0.5 }, { a: 2, b: 1, t: 1.5 }, { a: 3, b: 3, t: 2 }];
    for (const content of [rows, JSON.stringify(rows)]) {
      const response = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'reg', format: 'json', content, target: 't', task: 'regression' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ rows: 3, features: ['a', 'b'], target: 't', task: 'regression' });
      expect(response.body.classes).toBeUndefined();
    }
  });

  it('accepts a multipart upload, taking the format and name from the file', async () => {
    const response = await api.http
      .post('/v1/datasets')
      .set(api.alice.auth)
      .field('target', 'label')
      .field('task', 'classification')
      .attach('file', Buffer.from(CSV), { filename: 'gates.csv', contentType: 'text/csv' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'gates', rows: 4, classes: ['no', 'yes'], sha256: sha256(CSV) });
  });

  it('answers 400 with the reason for unreadable tables', async () => {
    for (const content of ['', 'a,b,label\n"1,2,0\n']) {
      const response = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'bad', format: 'csv', content, target: 'label', task: 'classification' });
      expect(response.status, JSON.stringify(content)).toBe(400);
      expect(response.body.error.code).toBe('malformed_dataset');
      expect(response.body.error.message.length).toBeGreaterThan(0);
    }
    const notJson = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'bad', format: 'json', content: '[{"a":', target: 'a', task: 'regression' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('malformed_dataset');
  });

  it('answers 422 for tables that cannot be datasets', async () => {
    const unknownTarget = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'bad', format: 'csv', content: CSV, target: 'nope', task: 'classification' });
    expect(unknownTarget.status).toBe(422);
    expect(unknownTarget.body.error.code).toBe('invalid_dataset');
    const forced = await api.http.post('/v1/datasets').set(api.alice.auth)
      .send({ name: 'bad', format: 'csv', content: 'a,label\n1,0\nx,1\n2,1\ny,0\n', target: 'label', task: 'classification', columns: { a: 'number' } });
    expect(forced.status).toBe(422);
    expect(forced.body.error.code).toBe('invalid_dataset');
    expect(forced.body.error.details).toContainEqual({ row: 2, column: 'a', message: 'values are not numbers', count: 2, examples: [2, 4] });
    expect(forced.body.error.message).toBe('some values do not fit their column\'s type: column "a": 2 values are not numbers (rows 2, 4)');
    const ragged = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'bad', format: 'csv', content: 'a,b,label\n1,2,0\n1,2\n', target: 'label', task: 'classification' });
    expect(ragged.status).toBe(422);
    expect(ragged.body.error.details).toContainEqual({ row: 2, message: expect.stringContaining('fields'), count: 1, examples: [2] });
  });

  it('answers 422 limit_exceeded above TRAINYARD_MAX_DATASET_ROWS', async () => {
    const csv = `a,label\n${Array.from({ length: 51 }, (_, i) => `${i},${i % 2}`).join('\n')}\n`;
    const response = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'big', format: 'csv', content: csv, target: 'label', task: 'classification' });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('limit_exceeded');
  });

  it('answers 400 for bad bodies and forms, naming the field', async () => {
    const missing = await api.http.post('/v1/datasets').set(api.alice.auth).send({ name: 'x', format: 'csv', content: CSV, task: 'classification' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toContainEqual({ path: 'target', message: 'is required' });
    const badTask = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'label').field('task', 'clustering').attach('file', Buffer.from(CSV), 'a.csv');
    expect(badTask.status).toBe(400);
    expect(badTask.body.error.details[0].path).toBe('task');
    const noFile = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'label').field('task', 'classification');
    expect(noFile.status).toBe(400);
    const notParquet = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'label').field('format', 'parquet').attach('file', Buffer.from(CSV), 'data.txt');
    expect(notParquet.status).toBe(400);
    expect(notParquet.body.error.message).toMatch(/could not be read as Parquet/);
    const badColumns = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'label').field('columns', '{"x1": "float"}').attach('file', Buffer.from(CSV), 'data.txt');
    expect(badColumns.status).toBe(400);
    expect(badColumns.body.error.details[0].path).toMatch(/^columns/);
  });

  it('answers 413 for a file over the body limit', async () => {
    const small = supertest((await api.buildAnother({ limits: { ...api.config.limits, bodyLimitBytes: 4096 } })).server);
    const big = `a,label\n${'1,0\n'.repeat(4000)}`;
    const multipart = await small.post('/v1/datasets').set(api.alice.auth).field('target', 'label').field('task', 'classification').attach('file', Buffer.from(big), 'big.csv');
    expect(multipart.status).toBe(413);
    expect(multipart.body.error.code).toBe('payload_too_large');
    const json = await small.post('/v1/datasets').set(api.alice.auth).send({ name: 'big', format: 'csv', content: big, target: 'label', task: 'classification' });
    expect(json.status).toBe(413);
  });
});

describe('listing and reading datasets', () => {
  it('lists the built-ins first for every tenant, then uploads newest first, page by page', async () => {
    const carol = await api.newTenant('carol');
    const uploaded = [await upload('one', carol.auth), await upload('two', carol.auth), await upload('three', carol.auth)];
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: supertest.Response = await api.http.get('/v1/datasets').query({ limit: 3, ...(after ? { after } : {}) }).set(carol.auth);
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.data.map((dataset: { id: string }) => dataset.id));
      after = response.body.nextCursor;
      expect(response.body.hasMore).toBe(after !== null);
      pages++;
    } while (after !== null);
    expect(seen).toEqual([...BUILTINS, uploaded[2].id, uploaded[1].id, uploaded[0].id]);
    expect(pages).toBe(3);
  });

  it('describes a built-in', async () => {
    const response = await api.http.get('/v1/datasets/builtin:iris').set(api.bob.auth);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'builtin:iris', builtin: true, task: 'classification', rows: 150, target: expect.any(String) });
    expect(response.body.features).toHaveLength(4);
    expect(response.body.classes).toHaveLength(3);
    expect(response.body.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 404 for unknown ids and for another tenant\'s dataset', async () => {
    const mine = await upload('mine');
    expect((await api.http.get(`/v1/datasets/${mine.id}`).set(api.alice.auth)).status).toBe(200);
    expect((await api.http.get(`/v1/datasets/${mine.id}`).set(api.bob.auth)).status).toBe(404);
    expect((await api.http.get('/v1/datasets/ds_nope').set(api.alice.auth)).status).toBe(404);
    expect((await api.http.get('/v1/datasets/builtin:nope').set(api.alice.auth)).status).toBe(404);
  });
});

describe('DELETE /v1/datasets/:id', () => {
  it('deletes an upload: 204, then 404', async () => {
    const dataset = await upload('gone');
    expect((await api.http.delete(`/v1/datasets/${dataset.id}`).set(api.alice.auth)).status).toBe(204);
    expect((await api.http.get(`/v1/datasets/${dataset.id}`).set(api.alice.auth)).status).toBe(404);
    expect((await api.http.delete(`/v1/datasets/${dataset.id}`).set(api.alice.auth)).status).toBe(404);
  });

  it('refuses built-ins with 409: readable by all, writable by none', async () => {
    for (const id of BUILTINS) {
      const response = await api.http.delete(`/v1/datasets/${id}`).set(api.alice.auth);
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('conflict');
      expect(response.body.error.message).toContain('built-in');
    }
  });

  it('answers 409 while a queued job uses the dataset, and deletes it once the job has ended', async () => {
    const dataset = await upload('in-use');
    const job = await api.http.post('/v1/jobs').set(api.alice.auth).send({ dataset: dataset.id, model: { layers: [{ units: 2, activation: 'softmax' }] } });
    expect(job.status).toBe(202);
    const refused = await api.http.delete(`/v1/datasets/${dataset.id}`).set(api.alice.auth);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(job.body.id);
    expect((await api.http.post(`/v1/jobs/${job.body.id}/cancel`).set(api.alice.auth)).status).toBe(200);
    expect((await api.http.delete(`/v1/datasets/${dataset.id}`).set(api.alice.auth)).status).toBe(204);
  });
});

describe('Idempotency-Key on POST /v1/datasets', () => {
  it('stores one dataset per key and replays its answer with 200', async () => {
    const body = { name: 'idem', format: 'csv', content: CSV, target: 'label', task: 'classification' };
    const first = await api.http.post('/v1/datasets').set(api.alice.auth).set('Idempotency-Key', 'ds-key-1').send(body);
    const second = await api.http.post('/v1/datasets').set(api.alice.auth).set('Idempotency-Key', 'ds-key-1').send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await api.prisma.dataset.count({ where: { tenantId: api.alice.id, name: 'idem' } })).toBe(1);
    const other = await api.http.post('/v1/datasets').set(api.alice.auth).set('Idempotency-Key', 'ds-key-1').send({ ...body, name: 'other' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_conflict');
  });
});

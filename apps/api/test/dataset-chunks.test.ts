// Typed columns stored in chunks: a dataset whose columns span many chunks trains, in a real worker process, to
// byte-identical weights as the same dataset stored one chunk per column (the default for a small file) and as
// columns stored before chunks (one value each).
import { readFileSync } from 'node:fs';
import { readDatasetSource, writeDatasetColumns } from '@trainyard/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';
import { binary, REPO_ROOT, startWorker, type TestWorker } from './worker-process.ts';

const PENGUINS = readFileSync(`${REPO_ROOT}node_modules/vega-datasets/data/penguins.json`);
const WAIT = { timeout: 240_000, interval: 200 };

let api: TestApi;
let worker: TestWorker;

beforeAll(async () => {
  api = await startTestApi('dataset_chunks');
  worker = startWorker(api);
});

afterAll(async () => {
  await worker?.stop();
  await api?.close();
});

async function weightsOf(datasetId: string): Promise<Buffer> {
  const body = {
    dataset: datasetId,
    model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
    training: { epochs: 3, batchSize: 16, seed: 7 },
  };
  const submitted = await api.http.post('/v1/jobs').set(api.alice.auth).send(body);
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
  let job: { status: string; error: unknown } = { status: '', error: null };
  await vi.waitFor(async () => {
    job = (await api.http.get(`/v1/jobs/${submitted.body.id}`).set(api.alice.auth)).body;
    if (!['succeeded', 'failed', 'cancelled'].includes(job.status)) throw new Error(`job is ${job.status}\n${worker.log().slice(-2000)}`);
  }, WAIT);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return (await binary(api.http.get(`/v1/jobs/${submitted.body.id}/weights`).set(api.alice.auth))).body as Buffer;
}

describe('datasets stored in chunks', () => {
  it('trains a dataset spanning many chunks to the same weights as the one-chunk and one-value forms', async () => {
    const uploaded = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'Species').attach('file', PENGUINS, 'penguins.json');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const id = uploaded.body.id as string;
    expect(await api.prisma.datasetColumnChunk.count({ where: { datasetId: id, chunk: { gt: 0 } } })).toBe(0);

    // The same dataset twice more: its columns in 256-byte chunks (32 numbers or 64 codes), and as one value each.
    const source = await readDatasetSource(api.prisma, api.alice.id, id);
    if (source?.kind !== 'columns') throw new Error('expected typed columns');
    const row = await api.prisma.dataset.findUniqueOrThrow({ where: { id } });
    const copy = async (copyId: string) => {
      const { createdAt: _createdAt, id: _id, ...fields } = row;
      await api.prisma.dataset.create({
        data: { ...fields, id: copyId, features: fields.features ?? [], classes: fields.classes ?? undefined, profile: fields.profile ?? undefined, x: null, y: null },
      });
    };
    await copy(`${id}_chunked`);
    await api.prisma.$transaction((tx) => writeDatasetColumns(tx, `${id}_chunked`, source.columns, { chunkBytes: 256 }));
    const chunks = await api.prisma.datasetColumnChunk.groupBy({ by: ['position'], where: { datasetId: `${id}_chunked` }, _count: true });
    expect(chunks.every((c) => c._count > 1)).toBe(true);
    await copy(`${id}_one_value`);
    await api.prisma.datasetColumn.createMany({
      data: source.columns.map((c, position) => ({
        datasetId: `${id}_one_value`, position, name: c.name, type: c.type, data: new Uint8Array(c.data),
        ...(c.dictionary === null ? {} : { dictionary: c.dictionary }),
      })),
    });

    const oneChunk = await weightsOf(id);
    expect((await weightsOf(`${id}_chunked`)).equals(oneChunk)).toBe(true);
    expect((await weightsOf(`${id}_one_value`)).equals(oneChunk)).toBe(true);
  });
});

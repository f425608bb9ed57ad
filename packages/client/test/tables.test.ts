// The client on a real table against a real service: a gzip-compressed file with categories and gaps,
// column overrides, the evaluation of the trained job, and predictions from raw rows.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, TrainyardClient, watchJob, type Dataset, type RawRow } from '../src/index.ts';
import { startService, type RunningService } from '../testing/index.ts';

const COLOURS = ['red', 'green', 'blue'];
const LABEL_OF: Record<string, string> = { red: 'warm', green: 'cool', blue: 'cool' };

/** 150 rows: the label follows the colour; `size` has gaps (empty cells and NA) and `code` looks numeric. */
const ROWS: RawRow[] = Array.from({ length: 150 }, (_, i) => ({
  colour: COLOURS[i % 3],
  size: i % 10 === 0 ? null : (i * 7) % 13,
  code: String(1000 + (i % 4)),
  label: LABEL_OF[COLOURS[i % 3]],
}));
const CSV = ['colour,size,code,label', ...ROWS.map((row, i) => `${row.colour},${row.size ?? (i % 20 === 0 ? '' : 'NA')},${row.code},${row.label}`)].join('\n');

let service: RunningService;
let client: TrainyardClient;
let dataset: Dataset;
let jobId: string;

beforeAll(async () => {
  service = await startService({ name: 'client-tables' });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

describe('real tables through the client', () => {
  it('uploads gzip-compressed CSV bytes without a format or task, with a column override', async () => {
    dataset = await client.uploadDatasetFile(gzipSync(CSV), 'colours.csv.gz', { target: 'label', columns: { code: 'category' } });
    expect(dataset).toMatchObject({ task: 'classification', rows: 150, classes: ['cool', 'warm'], rowsWithoutTarget: 0, features: ['colour', 'size', 'code'] });
    expect(dataset.columns?.map(({ name, type, role, missing, distinct }) => ({ name, type, role, missing, distinct }))).toEqual([
      { name: 'colour', type: 'category', role: 'feature', missing: 0, distinct: 3 },
      { name: 'size', type: 'number', role: 'feature', missing: 15, distinct: 13 },
      { name: 'code', type: 'category', role: 'feature', missing: 0, distinct: 4 },
      { name: 'label', type: 'category', role: 'target', missing: 0, distinct: 2 },
    ]);
  });

  it('reports a value that does not fit a forced type per column, with a count and example rows', async () => {
    const error = await client.uploadDatasetFile(new Blob([CSV]), 'colours.csv', { target: 'label', columns: { colour: 'number' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_dataset' });
    expect((error as ApiRequestError).details[0]).toMatchObject({ column: 'colour', count: 150, examples: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
  });

  it('evaluates the trained job on its test split', async () => {
    const job = await client.submitJob({
      dataset: dataset.id,
      model: { layers: [{ units: 8, activation: 'relu' }, { units: 2, activation: 'softmax' }] },
      training: { epochs: 40, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.05 }, testSplit: 0.2, seed: 3 },
    });
    jobId = job.id;
    await expect(client.evaluation(jobId)).rejects.toMatchObject({ status: 409 });
    expect(await watchJob(client, jobId, { onEvent: () => {} })).toBe('succeeded');

    const evaluation = await client.evaluation(jobId);
    expect(evaluation).toMatchObject({ jobId, split: 'test', rows: 30 });
    expect(evaluation.classification?.confusion.labels).toEqual(['cool', 'warm']);
    expect(evaluation.classification?.accuracy).toBe(1);
    expect(evaluation.featureImportance[0].feature).toBe('colour');
    const final = (await client.getJob(jobId)).finalSnapshot!;
    expect((await client.evaluation(jobId, { snapshot: final })).snapshotId).toBe(final);
  });

  it('predicts raw rows, and names the row and column of a value that cannot be read', async () => {
    const rows = ROWS.slice(0, 6);
    const prediction = await client.predict(jobId, { rows }, { snapshot: (await client.getJob(jobId)).finalSnapshot! });
    expect(prediction.labels).toEqual(rows.map((row) => row.label));
    expect(prediction.outputs.map((output) => output.length)).toEqual([2, 2, 2, 2, 2, 2]);

    const error = await client.predict(jobId, { rows: [rows[0], { ...rows[1], size: 'large' }] }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 422, code: 'invalid_input' });
    expect((error as ApiRequestError).details[0]).toMatchObject({ row: 2, column: 'size' });
  });
});

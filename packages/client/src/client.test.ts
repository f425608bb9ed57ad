// What the client puts on the wire for uploads, evaluation and predictions (the real service answers in test/).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TrainyardClient } from './client.ts';
import { ApiRequestError } from './errors.ts';

interface Sent {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: BodyInit | null | undefined;
}

/** A client whose fetch records each request and answers `answer` (JSON, 200 unless given). */
function recordingClient(answer: unknown = {}, status = 200) {
  const sent: Sent[] = [];
  const client = new TrainyardClient({
    baseUrl: 'http://trainyard.test/',
    apiKey: 'ty_key',
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? 'GET', url: new URL(String(input)), headers: init?.headers as Record<string, string>, body: init?.body });
      return Promise.resolve(new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } }));
    },
  });
  return { client, sent };
}

describe('uploadDatasetFile', () => {
  it('sends the fields, the column overrides as a JSON string, and the file last', async () => {
    const { client, sent } = recordingClient({ id: 'ds_1' });
    const csv = new TextEncoder().encode('a,zip,kind\n1,02139,x\n');
    await client.uploadDatasetFile(csv, 'table.csv', { name: 'table', target: 'kind', columns: { zip: 'category', a: 'ignore' } });

    const form = sent[0].body as FormData;
    expect(sent[0].method).toBe('POST');
    expect(sent[0].url.pathname).toBe('/v1/datasets');
    const keys: string[] = [];
    form.forEach((_, key) => keys.push(key));
    expect(keys).toEqual(['name', 'target', 'columns', 'file']); // no task, no format: the service infers them
    expect(JSON.parse(form.get('columns') as string)).toEqual({ zip: 'category', a: 'ignore' });
    const file = form.get('file') as File;
    expect(file.name).toBe('table.csv');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(csv);
  });

  it('sends binary files byte for byte, with the format and task when given', async () => {
    const { client, sent } = recordingClient({ id: 'ds_2' });
    const gzipped = gzipSync('{"a":1,"y":2}\n{"a":3,"y":4}\n');
    await client.uploadDatasetFile(gzipped, 'rows.jsonl.gz', { target: 'y', task: 'regression', format: 'jsonl', columns: '{"a":"number"}' });

    const form = sent[0].body as FormData;
    expect(form.get('format')).toBe('jsonl');
    expect(form.get('task')).toBe('regression');
    expect(form.get('columns')).toBe('{"a":"number"}');
    const file = form.get('file') as File;
    expect(Buffer.from(await file.arrayBuffer()).equals(gzipped)).toBe(true);
  });
});

describe('evaluation', () => {
  it('asks for the final snapshot by default, another one with ?snapshot=', async () => {
    const { client, sent } = recordingClient({ jobId: 'job_1', split: 'test' });
    expect(await client.evaluation('job_1')).toEqual({ jobId: 'job_1', split: 'test' });
    await client.evaluation('job_1', { snapshot: 'snap_9' });
    expect(sent.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`)).toEqual([
      'GET /v1/jobs/job_1/evaluation',
      'GET /v1/jobs/job_1/evaluation?snapshot=snap_9',
    ]);
  });

  it('throws the API error of a job that has not succeeded', async () => {
    const { client } = recordingClient({ error: { code: 'conflict', message: 'job job_1 is running' } }, 409);
    await expect(client.evaluation('job_1')).rejects.toMatchObject(new ApiRequestError(409, 'conflict', 'job job_1 is running'));
  });
});

describe('predict', () => {
  const bodies = (sent: Sent[]) => sent.map((request) => [request.url.search, JSON.parse(request.body as string) as unknown]);

  it('sends raw rows, or inputs given as a body or a bare array (the first form of the method)', async () => {
    const { client, sent } = recordingClient({ outputs: [[1]], snapshot: 'snap_1' });
    await client.predict('job_1', { rows: [{ island: 'Dream', mass: null }] }, { snapshot: 'snap_1' });
    await client.predict('job_1', { inputs: [[1, null]] });
    await client.predict('job_1', [[1, 2]], 'snap_2');
    expect(bodies(sent)).toEqual([
      ['?snapshot=snap_1', { rows: [{ island: 'Dream', mass: null }] }],
      ['', { inputs: [[1, null]] }],
      ['?snapshot=snap_2', { inputs: [[1, 2]] }],
    ]);
  });
});

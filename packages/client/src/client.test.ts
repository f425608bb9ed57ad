// What the client puts on the wire for uploads, evaluation, predictions, replays and sweeps (the real service answers in test/
// and in the CLI's suites).
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

describe('replay', () => {
  it('posts to the job\'s replay route and answers the new job', async () => {
    const { client, sent } = recordingClient({ id: 'job_2', replayOf: 'job_1' }, 202);
    expect(await client.replay('job_1')).toEqual({ id: 'job_2', replayOf: 'job_1' });
    expect(sent.map((request) => [request.method, request.url.pathname, request.body])).toEqual([['POST', '/v1/jobs/job_1/replay', undefined]]);
  });
});

describe('sweeps', () => {
  const routes = (sent: Sent[]) => sent.map((request) => `${request.method} ${request.url.pathname}${request.url.search}`);

  it('submits the body as JSON and reads, lists, pages and cancels by the sweep routes', async () => {
    const { client, sent } = recordingClient({ id: 'sweep_1' });
    const body = {
      base: { dataset: 'builtin:iris', model: { layers: [{ units: 3, activation: 'softmax' as const }] } },
      parameters: { 'training.optimizer.learningRate': { values: [0.01, 0.1] } },
      method: 'grid' as const,
      objective: { metric: 'valLoss' as const, goal: 'minimize' as const },
      parallelism: 2,
    };
    await client.submitSweep(body);
    await client.listSweeps({ status: 'running', limit: 5 });
    await client.getSweep('sweep_1');
    await client.sweepTrials('sweep_1', { limit: 2, after: 'cursor 2' });
    await client.cancelSweep('sweep_1');
    expect(routes(sent)).toEqual([
      'POST /v1/sweeps',
      'GET /v1/sweeps?status=running&limit=5',
      'GET /v1/sweeps/sweep_1',
      'GET /v1/sweeps/sweep_1/trials?limit=2&after=cursor+2',
      'POST /v1/sweeps/sweep_1/cancel',
    ]);
    expect(sent[0].headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(sent[0].body as string)).toEqual(body);
  });

  it('streams trial and status events, skipping heartbeats and other events, past the request timeout', async () => {
    const trial = { jobId: 'job_1', trial: 0, status: 'running', parameters: { 'training.batchSize': 8 }, value: 0.5, epochs: 1, stopReason: null };
    const status = { id: 'sweep_1', status: 'succeeded' };
    const chunks = [
      `id: 1\nevent: trial\ndata: ${JSON.stringify(trial)}\n\n`,
      ': heartbeat\n\nevent: unknown\ndata: {}\n\n',
      `id: 2\nevent: status\ndata: ${JSON.stringify(status)}\n\n`,
    ];
    const sent: Sent[] = [];
    const client = new TrainyardClient({
      baseUrl: 'http://trainyard.test',
      apiKey: 'ty_key',
      timeoutMs: 20,
      fetch: (input, init) => {
        sent.push({ method: init?.method ?? 'GET', url: new URL(String(input)), headers: init?.headers as Record<string, string>, body: init?.body });
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason)); // as fetch does
            for (const chunk of chunks) {
              await new Promise((resolve) => setTimeout(resolve, 150)); // far longer than timeoutMs: a stream has no timeout
              if (init?.signal?.aborted) return;
              controller.enqueue(encoder.encode(chunk));
            }
            controller.close();
          },
        });
        return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
      },
    });
    const events = [];
    for await (const event of client.sweepEvents('sweep_1')) events.push(event);
    expect(events).toEqual([
      { id: '1', type: 'trial', data: trial },
      { id: '2', type: 'status', data: status },
    ]);
    expect(routes(sent)).toEqual(['GET /v1/sweeps/sweep_1/events']);
    expect(sent[0].headers.Accept).toBe('text/event-stream');
  });

  it('throws the API error when the stream is refused', async () => {
    const { client } = recordingClient({ error: { code: 'not_found', message: 'no sweep sweep_9' } }, 404);
    await expect(client.sweepEvents('sweep_9').next()).rejects.toMatchObject(new ApiRequestError(404, 'not_found', 'no sweep sweep_9'));
  });
});

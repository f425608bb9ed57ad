// Uploads that never finish: a connection dropped midway leaves no dataset and no column chunks, and a file over
// the limit is answered 413, naming the limit, while the client is still sending (the body is never read whole).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startTestApi, type TestApi } from './harness.ts';

let api: TestApi;
let port: number;
const LIMIT = 64 * 1024;
const BOUNDARY = 'trainyard-upload-abort';

beforeAll(async () => {
  api = await startTestApi('upload_abort');
  const app = await api.buildAnother({ limits: { ...api.config.limits, bodyLimitBytes: LIMIT } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await api?.close();
});

/** A multipart upload of data.csv whose body is written by the caller; chunked unless `contentLength` is given. */
function openUpload(contentLength?: number): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const request = httpRequest({
    host: '127.0.0.1', port, method: 'POST', path: '/v1/datasets',
    headers: {
      ...api.alice.auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }),
    },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', reject);
  });
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="target"\r\n\r\nlabel\r\n`);
  request.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="data.csv"\r\nContent-Type: text/csv\r\n\r\na,b,label\r\n`);
  return { request, response };
}

const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `${from + i},${(from + i) % 7},${i % 2}\n`).join('');

async function leftBehind(): Promise<{ datasets: number; columns: number; chunks: number }> {
  const datasets = await api.prisma.dataset.findMany({ where: { tenantId: api.alice.id }, select: { id: true } });
  const ids = datasets.map((d) => d.id);
  return {
    datasets: ids.length,
    columns: await api.prisma.datasetColumn.count({ where: { datasetId: { in: ids } } }),
    chunks: await api.prisma.datasetColumnChunk.count(),
  };
}

describe('uploads that never finish', () => {
  it('leaves no dataset and no chunks when the connection drops midway', async () => {
    const before = await leftBehind();
    const { request, response } = openUpload(10 * LIMIT);
    onTestFinished(() => { request.destroy(); });
    response.catch(() => undefined);
    for (let i = 0; i < 4; i++) {
      request.write(rows(500, i * 500));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await leftBehind()).toEqual(before);
    // The API still takes the next upload from the same tenant.
    const ok = await api.http.post('/v1/datasets').set(api.alice.auth).field('target', 'label').attach('file', Buffer.from(`a,b,label\n${rows(40)}`), 'ok.csv');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('answers 413 naming the limit as soon as the file passes it, while the client is still sending', async () => {
    const { request, response } = openUpload();
    onTestFinished(() => { request.destroy(); });
    let answered: IncomingMessage | null = null;
    void response.then((r) => { answered = r; });
    let sent = 0;
    // Up to 160 times the limit, a slice at a time, stopping at the answer: the body is never sent whole.
    for (let i = 0; i < 400 && answered === null; i++) {
      const slice = rows(1000, i * 1000);
      request.write(slice);
      sent += slice.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reply = await vi.waitFor(() => {
      if (answered === null) throw new Error('no answer yet');
      return answered as IncomingMessage;
    }, { timeout: 10_000 });
    expect(request.writableEnded).toBe(false);
    expect(sent).toBeLessThan(20 * LIMIT);
    expect(reply.statusCode).toBe(413);
    const body = await new Promise<string>((resolve) => {
      let text = '';
      reply.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve(text));
    });
    expect(JSON.parse(body).error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('TRAINYARD_BODY_LIMIT_BYTES') });
    request.destroy();
  });
});

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSse, startTestApi, type TestApi } from './harness.ts';
import { event, finishJob, IRIS_JOB } from './fixtures.ts';

let api: TestApi;
let live: FastifyInstance;
let base: string;
beforeAll(async () => {
  api = await startTestApi('events');
  // A listening instance with a short heartbeat, for streams read while they are open.
  live = await api.buildAnother({ sseHeartbeatMs: 200, limits: { ...api.config.limits, maxSseConnectionsPerTenant: 2 } });
  await live.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(live.server.address() as AddressInfo).port}`;
});
afterAll(async () => api?.close());

async function submit(auth = api.alice.auth): Promise<string> {
  const response = await api.http.post('/v1/jobs').set(auth).send(IRIS_JOB);
  expect(response.status).toBe(202);
  return response.body.id;
}

/** An open stream: collects events until it ends. */
function openStream(jobId: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: ReturnType<typeof parseSse> = [];
  let text = '';
  const done = (async (): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${base}/v1/jobs/${jobId}/events`, { headers: { Authorization: api.alice.auth.Authorization, ...headers }, signal: controller.signal });
    if (response.status !== 200) return { status: response.status, body: await response.json() };
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
      const complete = text.lastIndexOf('\n\n');
      if (complete >= 0) {
        events.push(...parseSse(text.slice(0, complete + 2)));
        text = text.slice(complete + 2);
      }
    }
    return { status: 200, body: null };
  })().catch((error: Error) => {
    if (error.name === 'AbortError') return { status: 0, body: 'closed by the client' };
    throw error;
  });
  return { events, done, close: () => controller.abort() };
}

describe('GET /v1/jobs/:id/events', () => {
  it('replays a finished job\'s events in order and ends after the final status', async () => {
    const jobId = await submit();
    await finishJob(api.prisma, jobId);
    const response = await api.http.get(`/v1/jobs/${jobId}/events`).set(api.alice.auth);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(response.text);
    expect(events.map((e) => e.event)).toEqual(['status', 'status', 'progress', 'metrics', 'progress', 'metrics', 'progress', 'metrics', 'status']);
    expect(events.map((e) => (e.data as { status?: string }).status).filter(Boolean)).toEqual(['queued', 'running', 'succeeded']);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events[2].data).toMatchObject({ epoch: 1, epochs: 3, step: 10, steps: 30 });
  });

  it('resumes after Last-Event-ID (header or query)', async () => {
    const jobId = await submit();
    await finishJob(api.prisma, jobId);
    const all = parseSse((await api.http.get(`/v1/jobs/${jobId}/events`).set(api.alice.auth)).text);
    const resumed = parseSse((await api.http.get(`/v1/jobs/${jobId}/events`).set(api.alice.auth).set('Last-Event-ID', all[3].id!)).text);
    expect(resumed).toEqual(all.slice(4));
    const byQuery = parseSse((await api.http.get(`/v1/jobs/${jobId}/events?lastEventId=${all[6].id}`).set(api.alice.auth)).text);
    expect(byQuery).toEqual(all.slice(7));
  });

  it('streams events as they are written, woken by Redis pub/sub, and ends at the final status', async () => {
    const jobId = await submit();
    const stream = openStream(jobId);
    await vi.waitFor(() => expect(stream.events.map((e) => e.event)).toEqual(['status']), { timeout: 5000, interval: 10 });
    const progress = await event(api.prisma, jobId, 'progress', { epoch: 1, epochs: 3, step: 10, steps: 30, fraction: 1 / 3, samplesPerSecond: 5 });
    await api.queue.publishEvent(jobId, progress);
    await vi.waitFor(() => expect(stream.events.map((e) => e.event)).toEqual(['status', 'progress']), { timeout: 5000, interval: 10 });
    expect(stream.events[1].id).toBe(progress.toString());
    await api.http.post(`/v1/jobs/${jobId}/cancel`).set(api.alice.auth).expect(200);
    expect(await stream.done).toEqual({ status: 200, body: null });
    expect(stream.events.map((e) => (e.data as { status?: string }).status)).toEqual(['queued', undefined, 'cancelled']);
  });

  it('delivers an event whose notification was lost, on the next heartbeat', async () => {
    const jobId = await submit();
    const stream = openStream(jobId);
    await vi.waitFor(() => expect(stream.events).toHaveLength(1), { timeout: 5000, interval: 10 });
    await event(api.prisma, jobId, 'metrics', { epoch: 1, step: 10, loss: 0.5, at: new Date().toISOString() });
    await vi.waitFor(() => expect(stream.events.map((e) => e.event)).toEqual(['status', 'metrics']), { timeout: 5000, interval: 20 });
    stream.close();
  });

  it('ends a stream whose job has ended even when its final event is missing', async () => {
    const jobId = await submit();
    await api.prisma.job.update({ where: { id: jobId }, data: { status: 'failed', finishedAt: new Date() } });
    const stream = openStream(jobId);
    expect(await stream.done).toEqual({ status: 200, body: null });
    expect(stream.events.map((e) => e.event)).toEqual(['status']);
  });

  it('answers 429 beyond the open streams allowed per tenant, and 404 for another tenant\'s job', async () => {
    const jobs = [await submit(), await submit(), await submit()];
    const streams = jobs.slice(0, 2).map((jobId) => openStream(jobId));
    await vi.waitFor(() => streams.forEach((stream) => expect(stream.events).toHaveLength(1)), { timeout: 5000, interval: 10 });
    const refused = openStream(jobs[2]);
    expect(await refused.done).toEqual({ status: 429, body: { error: expect.objectContaining({ code: 'too_many_streams' }) } });
    streams[0].close();
    await vi.waitFor(async () => {
      const third = openStream(jobs[2]);
      await vi.waitFor(() => expect(third.events).toHaveLength(1), { timeout: 1000, interval: 10 });
      third.close();
    }, { timeout: 5000, interval: 50 });
    streams[1].close();
    const bobs = await submit(api.bob.auth);
    expect((await api.http.get(`/v1/jobs/${bobs}/events`).set(api.alice.auth)).status).toBe(404);
  });
});

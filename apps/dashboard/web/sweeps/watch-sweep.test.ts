import { describe, expect, it } from 'vitest';
import { ApiRequestError, TrainyardClient } from '@trainyard/client';
import type { Sweep, Trial } from './types.ts';
import { watchSweep } from './watch-sweep.ts';

const counts = { total: 2, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, pruned: 0 };
const sweep = (status: Sweep['status'], trials: Partial<Sweep['trials']>): Sweep => ({
  id: 'swp_1', status, method: 'grid', dataset: 'builtin:iris', parameters: { 'training.batchSize': { values: [8, 16] } }, parallelism: 2,
  pruning: null, seed: 0, trials: { ...counts, ...trials }, objective: { metric: 'valLoss', goal: 'minimize' }, best: null,
  cancelRequested: false, createdAt: '2026-01-01T00:00:00.000Z', startedAt: null, finishedAt: null,
});
const trial = (index: number, status: Trial['status'], value: number | null): Trial => ({
  jobId: `job_${index}`, trial: index, status, parameters: { 'training.batchSize': 8 * (index + 1) }, value, epochs: value === null ? 0 : 3, stopReason: null,
});
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers each path from its queue of answers (the last one repeats). */
function fakeApi(answers: Record<string, (() => Response)[]>) {
  const calls: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const path = new URL(String(input)).pathname;
    calls.push(path);
    const queue = answers[path];
    if (queue === undefined) throw new Error(`unexpected ${path}`);
    return (queue.length > 1 ? queue.shift()! : queue[0])();
  };
  return { calls, client: new TrainyardClient({ baseUrl: 'http://api.test', apiKey: 'ty_test', fetch: fetch as typeof globalThis.fetch }) };
}

function watch(client: TrainyardClient) {
  const seen: { trials: Trial[]; statuses: string[]; modes: string[] } = { trials: [], statuses: [], modes: [] };
  const done = watchSweep(client, 'swp_1', {
    onTrial: (row) => seen.trials.push(row),
    onStatus: (current) => seen.statuses.push(`${current.status}:${current.trials.running}`),
    onModeChange: (mode) => seen.modes.push(mode),
    signal: new AbortController().signal,
    pollIntervalMs: 1,
  });
  return { seen, done };
}

describe('watchSweep', () => {
  it('follows the stream to the final status, reopening it when it closes early', async () => {
    const { client, calls } = fakeApi({
      '/v1/sweeps/swp_1/events': [
        () => new Response(event('trial', trial(0, 'running', null)) + event('status', sweep('running', { running: 1, queued: 1 }))),
        () => new Response(event('trial', trial(0, 'succeeded', 0.4)) + event('trial', trial(1, 'succeeded', 0.3)) + event('status', sweep('succeeded', { succeeded: 2 }))),
      ],
      '/v1/sweeps/swp_1': [() => json(sweep('running', { running: 1, queued: 1 }))],
    });
    const { seen, done } = watch(client);
    expect((await done).status).toBe('succeeded');
    expect(seen.trials.map((row) => `${row.jobId}:${row.status}`)).toEqual(['job_0:running', 'job_0:succeeded', 'job_1:succeeded']);
    expect(seen.statuses).toEqual(['running:1', 'succeeded:0']);
    expect(seen.modes).toEqual(['stream', 'stream']);
    expect(calls.filter((path) => path.endsWith('/events'))).toHaveLength(2);
  });

  it('polls the sweep and its leaderboard after the stream fails three times in a row', async () => {
    const { client } = fakeApi({
      '/v1/sweeps/swp_1/events': [() => json({ error: { code: 'internal', message: 'boom' } }, 503)],
      '/v1/sweeps/swp_1': [() => json(sweep('running', { running: 2 })), () => json(sweep('succeeded', { succeeded: 2 }))],
      '/v1/sweeps/swp_1/trials': [
        () => json({ data: [trial(0, 'running', 0.5)], hasMore: false, nextCursor: null }),
        () => json({ data: [trial(1, 'succeeded', 0.3), trial(0, 'succeeded', 0.4)], hasMore: false, nextCursor: null }),
      ],
    });
    const { seen, done } = watch(client);
    expect((await done).status).toBe('succeeded');
    expect(seen.modes).toEqual(['stream', 'stream', 'stream', 'polling']);
    expect(seen.statuses).toEqual(['running:2', 'succeeded:0']);
    expect(seen.trials.map((row) => `${row.jobId}:${row.status}`)).toEqual(['job_0:running', 'job_1:succeeded', 'job_0:succeeded']);
  }, 10_000);

  it('gives up at once on a sweep that does not exist', async () => {
    const { client } = fakeApi({ '/v1/sweeps/swp_1/events': [() => json({ error: { code: 'not_found', message: 'no sweep swp_1' } }, 404)] });
    await expect(watch(client).done).rejects.toBeInstanceOf(ApiRequestError);
  });
});

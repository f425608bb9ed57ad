// The client and watchJob against a real service (API and worker processes, PostgreSQL, Redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, ConnectionError, TrainyardClient, watchJob, type JobEvent, type JobSubmitBody, type WatchMode } from '../src/index.ts';
import { startService, type RunningService } from '../testing/index.ts';

const spec = (epochs: number, batchSize = 16): JobSubmitBody => ({
  dataset: 'builtin:iris',
  model: { layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }] },
  training: { epochs, batchSize, validationSplit: 0.2, seed: 11 },
});

/** Minutes of training (MNIST epochs of tens of milliseconds): a job that holds the worker until cancelled. */
const LONG: JobSubmitBody = {
  dataset: 'builtin:mnist',
  model: { layers: [{ units: 32, activation: 'relu' }, { units: 10, activation: 'softmax' }] },
  training: { epochs: 5000, batchSize: 32, seed: 11 },
};

let service: RunningService;
let client: TrainyardClient;

async function watch(jobId: string, options: { pollOnly?: boolean } = {}) {
  const events: JobEvent[] = [];
  const modes: WatchMode[] = [];
  const status = await watchJob(client, jobId, {
    onEvent: (event) => events.push(event),
    onModeChange: (mode) => modes.push(mode),
    pollIntervalMs: 100,
    ...options,
  });
  const steps = events.flatMap((event) => (event.type === 'metrics' ? [event.data.step] : []));
  return { status, events, modes, steps };
}

/** Opens a stream and closes it again: 'open', or the status it was refused with. */
async function probeStream(jobId: string): Promise<'open' | number> {
  const stream = client.events(jobId);
  try {
    await stream.next();
    return 'open';
  } catch (error) {
    return (error as ApiRequestError).status;
  } finally {
    await stream.return(undefined);
  }
}

beforeAll(async () => {
  // One event stream per tenant: the second watcher must fall back to polling.
  service = await startService({ name: 'client', env: { TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT: '1' } });
  client = new TrainyardClient({ baseUrl: service.url, apiKey: service.apiKey });
}, 120_000);

afterAll(async () => {
  await service?.stop();
});

describe('watchJob', () => {
  it('follows a job over the event stream to its final status, with every metric point', async () => {
    const job = await client.submitJob(spec(15));
    const { status, events, modes, steps } = await watch(job.id);
    expect(status).toBe('succeeded');
    expect(modes).toEqual(['stream']);
    expect(steps).toEqual((await client.allMetrics(job.id)).map((point) => point.step));
    expect(steps).toHaveLength(15);
    expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: 'succeeded' } });
    // Stream events carry ids, increasing: what Last-Event-ID resumes from.
    const ids = events.map((event) => Number(event.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
  });

  it('gives the same series, snapshots and final status by polling', async () => {
    const job = await client.submitJob(spec(10));
    const streamed = await watch(job.id);
    const polled = await watch(job.id, { pollOnly: true });
    expect(polled.modes).toEqual(['polling']);
    expect(polled.status).toBe('succeeded');
    expect(polled.steps).toEqual(streamed.steps);
    const snapshotIds = (events: JobEvent[]) => new Set(events.flatMap((event) => (event.type === 'snapshot' ? [event.data.id] : [])));
    const kept = (await client.listSnapshots(job.id)).data.map((snapshot) => snapshot.id);
    expect([...snapshotIds(polled.events)].sort()).toEqual([...kept].sort());
    for (const id of kept) expect(snapshotIds(streamed.events).has(id)).toBe(true);
  });

  it('falls back to polling when the service refuses another stream (429), and still sees the job end', async () => {
    const blocker = await client.submitJob(LONG);
    const held = new AbortController();
    const holding = (async () => {
      for await (const _event of client.events(blocker.id, { signal: held.signal })) {
        // keep the tenant's only stream open
      }
    })().catch(() => undefined);
    try {
      // Wait until the blocker's stream is registered: a second stream is then refused.
      await expect.poll(() => probeStream(blocker.id), { timeout: 30_000 }).toBe(429);

      const job = await client.submitJob(spec(8));
      const watching = watch(job.id);
      await client.cancelJob(blocker.id); // frees the worker for `job`
      const { status, modes, steps } = await watching;
      expect(modes).toEqual(['stream', 'polling']);
      expect(status).toBe('succeeded');
      expect(steps).toEqual((await client.allMetrics(job.id)).map((point) => point.step));
    } finally {
      held.abort();
      await holding;
    }
  });

  it('rejects at once for an unknown job instead of polling it', async () => {
    await expect(watch('job_does_not_exist')).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('TrainyardClient errors', () => {
  it('carries the contract\'s error code, message and details', async () => {
    const error = await client.submitJob({ dataset: 'builtin:iris', model: { layers: [{ units: 0, activation: 'relu' }] } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request' });
    expect((error as ApiRequestError).details.map((detail) => detail.path)).toContain('model.layers[0].units');

    const stranger = new TrainyardClient({ baseUrl: service.url, apiKey: 'ty_nobody_000000000000000000000000' });
    await expect(stranger.listJobs()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('tells a service that cannot be reached from one that answers', async () => {
    const nowhere = new TrainyardClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'ty_x' });
    const error = await nowhere.listJobs().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:9\/v1\/jobs: /);
  });
});

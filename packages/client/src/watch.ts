import type { TrainyardClient } from './client.ts';
import { ApiRequestError } from './errors.ts';
import { isTerminal, type Job, type JobEvent, type JobStatus } from './types.ts';

export type WatchMode = 'stream' | 'polling';

export interface WatchOptions {
  /** Called for every event, in order. Metrics may repeat a step (a resumed epoch): keep the latest. */
  onEvent: (event: JobEvent) => void;
  /** Called when the watch switches between the event stream and polling. */
  onModeChange?: (mode: WatchMode, reason?: string) => void;
  signal?: AbortSignal;
  /** Poll period when streaming is not possible. Default 2 s. */
  pollIntervalMs?: number;
  /** Start polling right away (e.g. a browser without streaming fetch). */
  pollOnly?: boolean;
}

/** Stream errors after which the watch gives up on streaming and polls instead. */
const STREAM_ATTEMPTS = 3;
const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Pause before reopening a stream the server closed early, so a misbehaving server cannot make us spin. */
const RECONNECT_DELAY_MS = 250;

/**
 * Follows a job until it ends: its event stream (SSE over fetch, with Last-Event-ID resumption), and
 * polling of the job and its metrics when the stream cannot be had (too many streams, a proxy that
 * buffers, a network that drops long requests). Resolves with the final status; rejects on 401/404 or
 * when `signal` aborts.
 */
export async function watchJob(client: TrainyardClient, jobId: string, options: WatchOptions): Promise<JobStatus> {
  let lastEventId: string | null = null;
  let failures = 0;
  let lastStatus: JobStatus | null = null;
  const seen = new Seen();
  while (!options.pollOnly && failures < STREAM_ATTEMPTS) {
    options.onModeChange?.('stream');
    try {
      for await (const event of client.events(jobId, { lastEventId, signal: options.signal })) {
        lastEventId = event.id ?? lastEventId;
        failures = 0;
        seen.note(event);
        options.onEvent(event);
        if (event.type === 'status') {
          lastStatus = event.data.status;
          if (isTerminal(lastStatus)) return lastStatus;
        }
      }
      // The server closed the stream without a final status: ask the job itself.
      const job = await client.getJob(jobId, options.signal);
      if (isTerminal(job.status)) return finish(job, lastStatus, options);
      await sleep(RECONNECT_DELAY_MS, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof ApiRequestError && (error.status === 401 || error.status === 404)) throw error;
      failures += 1;
      if (failures >= STREAM_ATTEMPTS || (error instanceof ApiRequestError && error.status === 429)) {
        options.onModeChange?.('polling', describe(error));
        break;
      }
      await sleep(500 * failures, options.signal);
    }
  }
  if (options.pollOnly) options.onModeChange?.('polling', 'streaming disabled');
  return poll(client, jobId, options, seen, lastStatus);
}

/** What has been delivered already, so polling only adds what is new. */
class Seen {
  lastStep = -1;
  progressStep = -1;
  snapshots = new Set<string>();

  note(event: JobEvent): void {
    if (event.type === 'metrics') this.lastStep = Math.max(this.lastStep, event.data.step);
    if (event.type === 'progress') this.progressStep = event.data.step;
    if (event.type === 'snapshot') this.snapshots.add(event.data.id);
  }
}

async function poll(client: TrainyardClient, jobId: string, options: WatchOptions, seen: Seen, lastStatus: JobStatus | null): Promise<JobStatus> {
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  for (;;) {
    const job = await client.getJob(jobId, options.signal);
    const points = await client.allMetrics(jobId, seen.lastStep < 0 ? undefined : seen.lastStep, options.signal);
    for (const point of points) emit(options, seen, { id: null, type: 'metrics', data: point });
    const { epoch, epochs, step, steps, fraction } = job.progress;
    if (step !== seen.progressStep && job.status !== 'queued') {
      emit(options, seen, { id: null, type: 'progress', data: { epoch, epochs, step, steps, fraction, samplesPerSecond: job.samplesPerSecond } });
    }
    if (job.status !== lastStatus || isTerminal(job.status)) {
      const snapshots = await client.listSnapshots(jobId, { limit: 100 }, options.signal);
      for (const snapshot of snapshots.data.reverse()) {
        if (!seen.snapshots.has(snapshot.id)) emit(options, seen, { id: null, type: 'snapshot', data: snapshot });
      }
    }
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      options.onEvent(statusEvent(job));
    }
    if (isTerminal(job.status)) return job.status;
    await sleep(interval, options.signal);
  }
}

function emit(options: WatchOptions, seen: Seen, event: JobEvent): void {
  seen.note(event);
  options.onEvent(event);
}

function finish(job: Job, lastStatus: JobStatus | null, options: WatchOptions): JobStatus {
  if (job.status !== lastStatus) options.onEvent(statusEvent(job));
  return job.status;
}

function statusEvent(job: Job): JobEvent {
  return { id: null, type: 'status', data: { status: job.status, error: job.error, at: job.finishedAt ?? job.startedAt ?? job.createdAt } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

import { ApiRequestError, readServerSentEvents, type TrainyardClient, type WatchMode } from '@trainyard/client';
import { sweepApi } from './sweep-api.ts';
import { sweepEnded, type Sweep, type Trial } from './types.ts';

export interface SweepWatchOptions {
  /** A leaderboard row that changed (or is seen for the first time). */
  onTrial: (trial: Trial) => void;
  /** The sweep, whenever its status, counts or best trial changed. */
  onStatus: (sweep: Sweep) => void;
  onModeChange?: (mode: WatchMode, reason?: string) => void;
  signal: AbortSignal;
  /** Poll from the start (a browser without streaming fetch). */
  pollOnly?: boolean;
  pollIntervalMs?: number;
}

/** Stream failures in a row after which the watch polls instead. */
const STREAM_ATTEMPTS = 3;
const POLL_INTERVAL_MS = 2_000;
/** Pause before reopening a stream the server closed early, so a misbehaving server cannot make us spin. */
const RECONNECT_DELAY_MS = 250;

/**
 * Follows a sweep until its trials have all ended: `GET /v1/sweeps/:id/events` (whose first events describe the
 * sweep as it stands, so a reconnection needs no resumption id), reopened when it closes early, and polling of
 * the sweep and its leaderboard when streaming fails. Resolves with the final sweep; rejects on 401/404 or abort.
 */
export async function watchSweep(client: TrainyardClient, sweepId: string, options: SweepWatchOptions): Promise<Sweep> {
  let failures = 0;
  while (!options.pollOnly && failures < STREAM_ATTEMPTS) {
    options.onModeChange?.('stream');
    try {
      for await (const message of readServerSentEvents(await sweepApi.events(client, sweepId, options.signal))) {
        failures = 0;
        if (message.event === 'trial') options.onTrial(JSON.parse(message.data) as Trial);
        if (message.event !== 'status') continue;
        const sweep = JSON.parse(message.data) as Sweep;
        options.onStatus(sweep);
        if (sweepEnded(sweep)) return sweep;
      }
      // Closed without the final status (a restarting API, a proxy's timeout): ask the sweep itself.
      const sweep = await sweepApi.get(client, sweepId, options.signal);
      if (sweepEnded(sweep)) return finish(client, sweep, options);
      await sleep(RECONNECT_DELAY_MS, options.signal);
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (error instanceof ApiRequestError && (error.status === 401 || error.status === 404)) throw error;
      failures += 1;
      if (failures >= STREAM_ATTEMPTS || (error instanceof ApiRequestError && error.status === 429)) {
        options.onModeChange?.('polling', error instanceof Error ? error.message : String(error));
        break;
      }
      await sleep(500 * failures, options.signal);
    }
  }
  if (options.pollOnly) options.onModeChange?.('polling', 'streaming disabled');
  return poll(client, sweepId, options);
}

/** Reads the sweep and its whole leaderboard every interval; the caller keeps the latest of each. */
async function poll(client: TrainyardClient, sweepId: string, options: SweepWatchOptions): Promise<Sweep> {
  for (;;) {
    const sweep = await sweepApi.get(client, sweepId, options.signal);
    for (const trial of await sweepApi.trials(client, sweepId, options.signal)) options.onTrial(trial);
    options.onStatus(sweep);
    if (sweepEnded(sweep)) return sweep;
    await sleep(options.pollIntervalMs ?? POLL_INTERVAL_MS, options.signal);
  }
}

/** The last rows and status, read once more when the stream ended without them. */
async function finish(client: TrainyardClient, sweep: Sweep, options: SweepWatchOptions): Promise<Sweep> {
  for (const trial of await sweepApi.trials(client, sweep.id, options.signal)) options.onTrial(trial);
  options.onStatus(sweep);
  return sweep;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

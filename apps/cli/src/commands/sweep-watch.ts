import { ApiRequestError, isTerminal, type Sweep, type Trial, type TrainyardClient } from '@trainyard/client';
import type { CommandContext } from '../command.ts';
import { statusLine, trialLine } from './sweep-format.ts';

/** Stream errors after which the watch polls instead; pauses between attempts and between polls. */
const STREAM_ATTEMPTS = 3;
const RECONNECT_DELAY_MS = 250;
const POLL_INTERVAL_MS = 1_000;

/** As the service ends a sweep's stream: a final status and no trial still queued or running. */
export const hasEnded = (sweep: Sweep): boolean => isTerminal(sweep.status) && sweep.trials.queued + sweep.trials.running === 0;

/** Prints a line on stderr for each change of a trial's row or of the sweep's status, never twice for the same state. */
class SweepLines {
  private readonly trials = new Map<string, string>();
  private lastStatus = '';

  constructor(
    private readonly context: CommandContext,
    private readonly metric: string,
  ) {}

  trial(trial: Trial): void {
    const seen = JSON.stringify(trial);
    if (this.trials.get(trial.jobId) === seen) return;
    this.trials.set(trial.jobId, seen);
    this.context.note(trialLine(trial, this.metric));
  }

  status(sweep: Sweep): void {
    const line = statusLine(sweep);
    if (line !== this.lastStatus) this.context.note(line);
    this.lastStatus = line;
  }
}

/**
 * Follows a sweep until it has ended: its event stream (reopened when the server closes it early), and
 * polling of the sweep and its leaderboard when a stream cannot be had. Resolves with the final sweep;
 * rejects on 401/404 or when `signal` aborts.
 */
export async function followSweep(context: CommandContext, client: TrainyardClient, sweep: Sweep, signal: AbortSignal): Promise<Sweep> {
  const lines = new SweepLines(context, sweep.objective.metric);
  lines.status(sweep);
  let failures = 0;
  while (failures < STREAM_ATTEMPTS) {
    try {
      for await (const event of client.sweepEvents(sweep.id, { signal })) {
        failures = 0;
        if (event.type === 'trial') lines.trial(event.data);
        else {
          lines.status(event.data);
          if (hasEnded(event.data)) return event.data;
        }
      }
      const current = await client.getSweep(sweep.id, signal);
      if (hasEnded(current)) return current;
      await sleep(RECONNECT_DELAY_MS, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof ApiRequestError && (error.status === 401 || error.status === 404)) throw error;
      failures += 1;
      if (failures >= STREAM_ATTEMPTS || (error instanceof ApiRequestError && error.status === 429)) {
        context.note(`(event stream unavailable: ${error instanceof Error ? error.message : String(error)}; polling)`);
        break;
      }
      await sleep(500 * failures, signal);
    }
  }
  for (;;) {
    for (const trial of await allTrials(client, sweep.id, signal)) lines.trial(trial);
    const current = await client.getSweep(sweep.id, signal);
    lines.status(current);
    if (hasEnded(current)) return current;
    await sleep(POLL_INTERVAL_MS, signal);
  }
}

/** Every row of the leaderboard (all pages), best first; `limit` stops after that many. */
export async function allTrials(client: TrainyardClient, sweepId: string, signal?: AbortSignal, limit = Infinity): Promise<Trial[]> {
  const trials: Trial[] = [];
  let after: string | undefined;
  while (trials.length < limit) {
    const wanted = Number.isFinite(limit) ? limit - trials.length : undefined;
    const page = await client.sweepTrials(sweepId, { after, limit: wanted }, signal);
    trials.push(...page.data);
    if (!page.hasMore || page.nextCursor === null || page.data.length === 0) break;
    after = page.nextCursor;
  }
  return trials;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

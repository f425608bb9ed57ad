import type { IncomingMessage, ServerResponse } from 'node:http';
import { jobEventsChannel } from '@trainyard/queue';
import type { AppContext } from '../context.ts';
import type { StoredSweepSpec } from './build-trials.ts';
import { leaderboard, presentSweep, SWEEP_COLUMNS } from './present-sweep.ts';

/**
 * A sweep's events are derived state: the stream re-reads the sweep whenever one of its trials publishes a job
 * event (coalesced over COALESCE_MS), and at least every FALLBACK_MS (a new trial, the sweep's own status, or a
 * message lost while Redis reconnected).
 */
const COALESCE_MS = 25;
const FALLBACK_MS = 500;
const HEARTBEAT_MS = 15_000;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Writes `status` and `trial` events whenever what GET /v1/sweeps/:id and its leaderboard show changes, until
 * the sweep has ended (its last events written) or the client goes away. A client that reconnects (with or
 * without Last-Event-ID) first gets the sweep and every trial as they stand, which is all it can have missed.
 */
export async function streamSweep(context: AppContext, sweepId: string, tenantId: string, response: ServerResponse, request: IncomingMessage): Promise<void> {
  const { prisma, bus } = context;
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const nudge = () => {
    woken = true;
    wake?.();
  };
  request.on('close', () => {
    closed = true;
    nudge();
  });
  const subscriptions = new Map<string, Promise<() => void>>();
  let id = 0;
  let lastStatus = '';
  let lastBeat = Date.now();
  const trials = new Map<string, string>();
  const send = (event: string, data: unknown) => response.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  try {
    while (!closed) {
      woken = false;
      const row = await prisma.sweep.findFirst({ where: { id: sweepId, tenantId }, select: SWEEP_COLUMNS });
      if (row === null) break;
      for (const trial of await leaderboard(prisma, sweepId, row.spec as unknown as StoredSweepSpec)) {
        if (!subscriptions.has(trial.jobId) && !TERMINAL.has(trial.status)) {
          // Without Redis the fallback poll still moves the stream.
          subscriptions.set(trial.jobId, bus.subscribe(jobEventsChannel(trial.jobId), nudge).catch(() => () => undefined));
        }
        const seen = JSON.stringify(trial);
        if (trials.get(trial.jobId) !== seen) send('trial', trial);
        trials.set(trial.jobId, seen);
      }
      const sweep = await presentSweep(prisma, row);
      const status = JSON.stringify([sweep.status, sweep.trials, sweep.best]);
      if (status !== lastStatus) send('status', sweep);
      lastStatus = status;
      if (TERMINAL.has(sweep.status) && sweep.trials.queued + sweep.trials.running === 0) break;
      if (Date.now() - lastBeat > HEARTBEAT_MS) {
        response.write(': heartbeat\n\n');
        lastBeat = Date.now();
      }
      await sleepUntilNudged(FALLBACK_MS, () => woken, (resolve) => (wake = resolve));
      wake = null;
      if (!closed) await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
    }
  } finally {
    response.end();
    for (const subscription of subscriptions.values()) void subscription.then((unsubscribe) => unsubscribe());
  }
}

/** Resolves after `ms`, or as soon as something nudges (at once if it already did). */
function sleepUntilNudged(ms: number, nudged: () => boolean, register: (wake: () => void) => void): Promise<void> {
  if (nudged()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

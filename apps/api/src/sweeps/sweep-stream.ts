import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@trainyard/db';
import type { StoredSweepSpec } from './build-trials.ts';
import { leaderboard, presentSweep, SWEEP_COLUMNS } from './present-sweep.ts';

/** How often a sweep's stream looks at its trials; a sweep's events are derived state, so they are polled, not stored. */
const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Writes `status` and `trial` events whenever what GET /v1/sweeps/:id and its leaderboard show changes, until
 * the sweep has ended (its last events written) or the client goes away.
 */
export async function streamSweep(prisma: PrismaClient, sweepId: string, tenantId: string, response: ServerResponse, request: IncomingMessage): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  request.on('close', () => (closed = true));
  let id = 0;
  let lastStatus = '';
  let lastBeat = Date.now();
  const trials = new Map<string, string>();
  const send = (event: string, data: unknown) => response.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  try {
    while (!closed) {
      const row = await prisma.sweep.findFirst({ where: { id: sweepId, tenantId }, select: SWEEP_COLUMNS });
      if (row === null) break;
      for (const trial of await leaderboard(prisma, sweepId, row.spec as unknown as StoredSweepSpec)) {
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
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    response.end();
  }
}

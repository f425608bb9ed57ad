import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TrainyardClient, type Sweep, type Trial } from '@trainyard/client';
import { CommandContext } from '../command.ts';
import { followSweep } from './sweep-watch.ts';

const counts = { total: 1, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, pruned: 0 };
const sweepAt = (status: Sweep['status'], trials: Partial<Sweep['trials']>): Sweep =>
  ({ id: 'swp_1', status, cancelRequested: false, objective: { metric: 'valLoss', goal: 'minimize' }, best: null, trials: { ...counts, ...trials } }) as unknown as Sweep;
const trialAt = (status: Trial['status'], epochs: number): Trial => ({ jobId: 'job_1', trial: 0, status, parameters: { 'training.batchSize': 8 }, value: 0.5, epochs, stopReason: null });

/** A service whose event stream answers 429, and whose sweep and leaderboard move on at each poll. */
function refusingService() {
  const states = [
    { sweep: sweepAt('running', { running: 1 }), trial: trialAt('running', 1) },
    { sweep: sweepAt('running', { running: 1 }), trial: trialAt('running', 1) },
    { sweep: sweepAt('succeeded', { succeeded: 1 }), trial: trialAt('succeeded', 2) },
  ];
  let poll = 0;
  const answer = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
  return new TrainyardClient({
    baseUrl: 'http://trainyard.test',
    apiKey: 'ty_key',
    fetch: (input) => {
      const path = new URL(String(input)).pathname;
      if (path.endsWith('/events')) return answer(429, { error: { code: 'rate_limited', message: 'too many streams' } });
      if (path.endsWith('/trials')) return answer(200, { data: [states[Math.min(poll, 2)].trial], hasMore: false, nextCursor: null });
      return answer(200, states[Math.min(poll++, 2)].sweep);
    },
  });
}

describe('followSweep', () => {
  it('polls when the stream is refused, prints each change once, and resolves with the ended sweep', async () => {
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const context = new CommandContext({ stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} }, [], {});
    const final = await followSweep(context, refusingService(), sweepAt('queued', { queued: 1 }), new AbortController().signal);
    expect(final.status).toBe('succeeded');
    expect(text.trimEnd().split('\n')).toEqual([
      'swp_1 queued · 1 queued of 1',
      '(event stream unavailable: too many streams; polling)',
      'trial 0 job_1 running · 1 epoch · valLoss 0.5 · batchSize=8',
      'swp_1 running · 1 running of 1',
      'trial 0 job_1 succeeded · 2 epochs · valLoss 0.5 · batchSize=8',
      'swp_1 succeeded · 1 succeeded of 1',
    ]);
  });
});

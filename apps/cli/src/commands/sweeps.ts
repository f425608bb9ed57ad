import type { Sweep, SweepSubmitBody, TrainyardClient } from '@trainyard/client';
import type { Command, CommandContext } from '../command.ts';
import { readJsonFile } from './json-file.ts';
import { describeSweep, leaderboardTable, sweepsTable, sweepSummary } from './sweep-format.ts';
import { allTrials, followSweep } from './sweep-watch.ts';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const EXIT_INTERRUPTED = 130;

export const sweepsSubmit: Command = {
  path: ['sweeps', 'submit'],
  args: '<spec.json | ->',
  summary: 'Start a hyperparameter sweep (API.md body); --watch follows its trials and prints the leaderboard',
  options: { watch: { type: 'boolean', short: 'w' } },
  help: [['-w, --watch', 'a line per trial change until the sweep ends, then the leaderboard (exit 0 only if it succeeded)']],
  async run(context) {
    const spec = await readJsonFile<SweepSubmitBody>(context, context.arg(0, 'the sweep spec file'));
    const client = context.client();
    const sweep = await client.submitSweep(spec);
    if (!context.flags.watch) return context.json ? context.printJson(sweep) : context.print(sweep.id);
    if (!context.json) context.print(sweep.id);
    return watch(context, client, sweep);
  },
};

/** Follows the sweep; Ctrl-C stops watching, not the sweep. */
async function watch(context: CommandContext, client: TrainyardClient, sweep: Sweep): Promise<number> {
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onInterrupt);
  let final: Sweep;
  try {
    final = await followSweep(context, client, sweep, abort.signal);
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    context.note(`stopped watching; ${sweep.id} goes on (trainyard sweeps cancel ${sweep.id} stops it)`);
    return EXIT_INTERRUPTED;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  const trials = await allTrials(client, sweep.id);
  if (context.json) context.printJson({ sweep: final, trials });
  else context.print(leaderboardTable(trials));
  context.note(sweepSummary(final));
  return final.status === 'succeeded' ? 0 : 1;
}

export const sweepsList: Command = {
  path: ['sweeps', 'list'],
  args: '',
  summary: 'List sweeps, newest first',
  options: { status: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' } },
  help: [
    ['--status <status>', 'queued | running | succeeded | failed | cancelled'],
    ['--limit <n>, --after <cursor>', 'paging'],
  ],
  async run(context) {
    const page = await context.client().listSweeps({
      status: context.choice('status', STATUSES),
      limit: context.integer('limit'),
      after: context.string('after'),
    });
    if (context.json) return context.printJson(page);
    if (page.data.length === 0) return context.print('no sweeps');
    context.print(sweepsTable(page.data));
    if (page.hasMore) context.note(`more: --after ${page.nextCursor}`);
  },
};

export const sweepsGet: Command = {
  path: ['sweeps', 'get'],
  args: '<sweep>',
  summary: 'Show one sweep: status, trial counts, best trial',
  async run(context) {
    const sweep = await context.client().getSweep(context.arg(0, 'the sweep id'));
    if (context.json) return context.printJson(sweep);
    context.print(describeSweep(sweep));
  },
};

export const sweepsTrials: Command = {
  path: ['sweeps', 'trials'],
  args: '<sweep>',
  summary: 'The leaderboard: trials best first by the objective',
  options: { limit: { type: 'string' } },
  help: [['--limit <n>', 'only the n best (default: every trial)']],
  async run(context) {
    const id = context.arg(0, 'the sweep id');
    const trials = await allTrials(context.client(), id, undefined, context.integer('limit'));
    // Every page merged into one, in the API's page shape.
    if (context.json) return context.printJson({ data: trials, hasMore: false, nextCursor: null });
    context.print(trials.length === 0 ? 'no trials yet' : leaderboardTable(trials));
  },
};

export const sweepsCancel: Command = {
  path: ['sweeps', 'cancel'],
  args: '<sweep>',
  summary: 'Cancel a sweep: no new trials, queued ones at once, running ones within a step',
  async run(context) {
    const sweep = await context.client().cancelSweep(context.arg(0, 'the sweep id'));
    if (context.json) return context.printJson(sweep);
    const stopping = sweep.trials.running > 0 ? ` (${sweep.trials.running} running trial${sweep.trials.running === 1 ? '' : 's'} stopping)` : '';
    context.print(`${sweep.id} ${sweep.status === 'cancelled' ? 'cancelled' : `cancel requested, ${sweep.status}`}${stopping}`);
  },
};

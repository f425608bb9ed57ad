import type { Job } from '@trainyard/client';
import type { Command } from '../command.ts';
import { watchWithProgress } from '../watch-progress.ts';

const EXIT_INTERRUPTED = 130;

/** What a finished replay says about the job it trained again. */
export function reproductionLine(replay: Job): string {
  if (replay.reproduces === null) return `${replay.id} ${replay.status}: nothing to compare with ${replay.replayOf ?? 'the original'}`;
  const { jobId, identical } = replay.reproduces;
  return identical ? `reproduces ${jobId}: identical weights` : `does not reproduce ${jobId}: the final weights differ`;
}

export const jobsReplay: Command = {
  path: ['jobs', 'replay'],
  args: '<job>',
  summary: 'Train a succeeded job again from the same inputs; --watch follows it and compares the weights',
  options: { watch: { type: 'boolean', short: 'w' } },
  help: [['-w, --watch', 'follow the replay until it ends (exit 0 only if it succeeded with identical weights)']],
  async run(context) {
    const client = context.client();
    const replay = await client.replay(context.arg(0, 'the job id'));
    if (!context.flags.watch) return context.json ? context.printJson(replay) : context.print(replay.id);
    if (!context.json) context.print(replay.id);
    const status = await watchWithProgress(context, client, replay);
    if (status === null) return EXIT_INTERRUPTED;
    const final = await client.getJob(replay.id);
    if (context.json) context.printJson(final);
    context.note(reproductionLine(final));
    return final.status === 'succeeded' && final.reproduces?.identical === true ? 0 : 1;
  },
};

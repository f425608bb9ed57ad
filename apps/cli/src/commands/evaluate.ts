import type { Command } from '../command.ts';
import { describeEvaluation } from '../evaluation-report.ts';

export const jobsEvaluate: Command = {
  path: ['jobs', 'evaluate'],
  args: '<job>',
  summary: 'A succeeded job\'s scores on its held-out rows: confusion matrix, per-class scores or regression errors, feature importance',
  options: { snapshot: { type: 'string' } },
  help: [['--snapshot <id>', 'evaluate this snapshot of the job instead of its final weights']],
  async run(context) {
    const evaluation = await context.client().evaluation(context.arg(0, 'the job id'), { snapshot: context.string('snapshot') });
    if (context.json) return context.printJson(evaluation);
    context.print(describeEvaluation(evaluation));
  },
};

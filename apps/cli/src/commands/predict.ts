import { readFile } from 'node:fs/promises';
import type { Command } from '../command.ts';
import { formatOf, InputError, parseInputs } from '../inputs.ts';
import { formatNumber, formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

/** Output columns shown per row; wider outputs (e.g. 10 digits) are cut with a note. */
const SHOWN_OUTPUTS = 10;

export const predict: Command = {
  path: ['predict'],
  args: '<job> <inputs.json | inputs.csv>',
  summary: 'Run a trained job on input rows (raw feature values, dataset order or CSV header names)',
  options: { snapshot: { type: 'string' } },
  help: [['--snapshot <id>', 'use this snapshot of the job instead of its final weights']],
  async run(context) {
    const jobId = context.arg(0, 'the job id');
    const path = context.arg(1, 'the inputs file');
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const client = context.client();
    const job = await client.getJob(jobId);
    const dataset = await client.getDataset(job.dataset);
    let inputs: number[][];
    try {
      inputs = parseInputs(text, formatOf(path), dataset.features);
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(`${path}: ${error.message}`);
      throw error;
    }
    const prediction = await client.predict(jobId, inputs, context.string('snapshot'));
    if (context.json) return context.printJson(prediction);
    const outputs = prediction.outputs[0]?.length ?? 0;
    const names = dataset.classes?.length === outputs ? dataset.classes : outputs === 1 ? [dataset.target] : Array.from({ length: outputs }, (_, i) => `out${i}`);
    const header = ['ROW', ...(prediction.labels ? ['LABEL'] : []), ...names.slice(0, SHOWN_OUTPUTS)];
    const rows = prediction.outputs.map((row, index) => [
      String(index + 1),
      ...(prediction.labels ? [prediction.labels[index]] : []),
      ...row.slice(0, SHOWN_OUTPUTS).map((value) => formatNumber(value)),
    ]);
    context.print(formatTable(header, rows));
    if (outputs > SHOWN_OUTPUTS) context.note(`(${outputs - SHOWN_OUTPUTS} more outputs per row: --json shows all)`);
  },
};

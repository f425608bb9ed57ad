import { readFile } from 'node:fs/promises';
import type { Command, CommandContext } from '../command.ts';
import { formatOf, InputError, parseInputs } from '../inputs.ts';
import { DEFAULT_MAX_PREDICT_ROWS, predictInBatches } from '../predict-batches.ts';
import { readRawRows } from '../raw-rows.ts';
import { formatNumber, formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

/** Output columns shown per row; wider outputs (e.g. 10 digits) are cut with a note. */
const SHOWN_OUTPUTS = 10;
const FORMATS = ['csv', 'json', 'jsonl', 'parquet'] as const;

export const predict: Command = {
  path: ['predict'],
  args: '<job> [inputs.json | inputs.csv]',
  summary: 'Run a trained job on rows: raw rows of a table (--file, or stdin), or numeric inputs in feature order',
  options: { snapshot: { type: 'string' }, file: { type: 'string', short: 'f' }, format: { type: 'string' } },
  help: [
    ['-f, --file <rows>', 'raw rows by column name, as uploaded (CSV, JSON, JSON Lines, Parquet; gzip or not); - = stdin'],
    ['', 'prints one line per row: the label, or the value for regression'],
    ['--format <format>', `${FORMATS.join(' | ')} of --file or stdin (default: told by the content)`],
    ['--snapshot <id>', 'use this snapshot of the job instead of its final weights'],
    ['<inputs file>', 'the first form: numbers in feature order (JSON arrays, CSV by header); prints a table'],
  ],
  async run(context) {
    const jobId = context.arg(0, 'the job id');
    const inputsPath = context.positionals[1];
    if (inputsPath !== undefined && context.string('file') !== undefined) throw new UsageError('give either an inputs file or --file, not both');
    return inputsPath === undefined ? predictRawRows(context, jobId) : predictInputs(context, jobId, inputsPath);
  },
};

/** `--file` or stdin: raw rows by column name, batched to the service's limit; one line per row. */
async function predictRawRows(context: CommandContext, jobId: string): Promise<void> {
  const path = context.string('file') ?? '-';
  const format = context.choice('format', FORMATS);
  if (path === '-' && (context.io.stdin as { isTTY?: boolean }).isTTY) throw new UsageError('give --file <rows>, or pipe the rows on stdin');
  const bytes = path === '-' ? await readStdin(context.io.stdin) : await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const rows = await readRawRows(bytes, format).catch((error: unknown) => {
    throw error instanceof InputError ? new UsageError(`${path === '-' ? 'stdin' : path}: ${error.message}`, { showHelp: false }) : error;
  });
  const prediction = await predictInBatches(context.client(), jobId, rows, { snapshot: context.string('snapshot'), batchSize: batchSize(context) });
  if (context.json) return context.printJson(prediction);
  const lines = prediction.labels ?? prediction.outputs.map((output) => output.map((value) => String(Number(value.toPrecision(7)))).join(' '));
  if (lines.length > 0) context.print(lines.join('\n'));
}

/** The first batch size: TRAINYARD_MAX_PREDICT_ROWS when set here too, else the service's default. */
function batchSize(context: CommandContext): number {
  const given = Number(context.io.env.TRAINYARD_MAX_PREDICT_ROWS);
  return Number.isInteger(given) && given > 0 ? given : DEFAULT_MAX_PREDICT_ROWS;
}

/** The first form: numbers per row (JSON arrays, or CSV by header names); a table of outputs. */
async function predictInputs(context: CommandContext, jobId: string, path: string): Promise<void> {
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
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

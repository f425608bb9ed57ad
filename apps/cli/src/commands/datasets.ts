import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dataset } from '@trainyard/client';
import type { Command } from '../command.ts';
import { COLUMN_TYPES, parseColumnOverrides } from '../column-overrides.ts';
import { describeDataset } from '../dataset-profile.ts';
import { formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

const FORMATS = ['csv', 'json', 'jsonl', 'parquet'] as const;

export const datasetsUpload: Command = {
  path: ['datasets', 'upload'],
  args: '<file>',
  summary: 'Upload a table as it is: CSV with a header, JSON array of objects, JSON Lines or Parquet, gzip or not',
  options: {
    target: { type: 'string' },
    task: { type: 'string' },
    column: { type: 'string', multiple: true },
    name: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    ['--target <column>', 'the label column (required)'],
    ['--task <task>', 'classification | regression (default: the service infers it from the target)'],
    ['--column <name>=<type>', `force a column's type: ${COLUMN_TYPES.join(' | ')} (repeatable)`],
    ['--name <name>', 'default: the file name'],
    ['--format <format>', `${FORMATS.join(' | ')} (default: the service tells by name and content)`],
  ],
  async run(context) {
    const path = context.arg(0, 'the dataset file');
    const target = context.string('target');
    if (target === undefined) throw new UsageError('missing --target <column>');
    const task = context.choice('task', ['classification', 'regression'] as const);
    const format = context.choice('format', FORMATS);
    const columns = parseColumnOverrides(context.strings('column'));
    const content = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const name = context.string('name') ?? basename(path);
    const dataset = await context.client().uploadDatasetFile(content, basename(path), { name, target, task, format, columns });
    if (context.json) return context.printJson(dataset);
    context.print(dataset.id);
    const withoutTarget = dataset.rowsWithoutTarget ? ` (${dataset.rowsWithoutTarget} without a target)` : '';
    context.note(`${dataset.name}: ${dataset.rows} rows${withoutTarget}, ${dataset.features.length} features, target ${dataset.target}, ${dataset.task}${classes(dataset)}`);
    if (dataset.columns) context.note(`column types and profile: trainyard datasets get ${dataset.id}`);
  },
};

export const datasetsList: Command = {
  path: ['datasets', 'list'],
  args: '',
  summary: 'List datasets: built-ins, then yours, newest first',
  options: { limit: { type: 'string' }, after: { type: 'string' } },
  async run(context) {
    const page = await context.client().listDatasets({ limit: context.integer('limit'), after: context.string('after') });
    if (context.json) return context.printJson(page);
    const rows = page.data.map((dataset) => [dataset.id, dataset.name, dataset.task, String(dataset.rows), String(dataset.features.length), dataset.target, dataset.createdAt]);
    context.print(formatTable(['ID', 'NAME', 'TASK', 'ROWS', 'FEATURES', 'TARGET', 'CREATED'], rows));
    if (page.hasMore) context.note(`more: --after ${page.nextCursor}`);
  },
};

export const datasetsGet: Command = {
  path: ['datasets', 'get'],
  args: '<dataset>',
  summary: 'Show one dataset and its column profile (type, role, missing, distinct, statistics, top values)',
  async run(context) {
    const dataset = await context.client().getDataset(context.arg(0, 'the dataset id'));
    if (context.json) return context.printJson(dataset);
    context.print(describeDataset(dataset));
  },
};

function classes(dataset: Dataset): string {
  return dataset.classes ? ` (classes: ${dataset.classes.join(', ')})` : '';
}

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dataset } from '@trainyard/client';
import type { Command } from '../command.ts';
import { formatTable } from '../table.ts';
import { UsageError } from '../usage-error.ts';

export const datasetsUpload: Command = {
  path: ['datasets', 'upload'],
  args: '<file.csv | file.json>',
  summary: 'Upload a dataset (CSV with a header row, or JSON array of objects)',
  options: { target: { type: 'string' }, task: { type: 'string' }, name: { type: 'string' }, format: { type: 'string' } },
  help: [
    ['--target <column>', 'the label column (required)'],
    ['--task <task>', 'classification | regression (required)'],
    ['--name <name>', 'default: the file name'],
    ['--format <format>', 'csv | json (default: from the file name)'],
  ],
  async run(context) {
    const path = context.arg(0, 'the dataset file');
    const target = context.string('target');
    const task = context.choice('task', ['classification', 'regression'] as const);
    if (target === undefined) throw new UsageError('missing --target <column>');
    if (task === undefined) throw new UsageError('missing --task classification|regression');
    const content = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
    });
    const format = context.choice('format', ['csv', 'json'] as const) ?? (path.toLowerCase().endsWith('.json') ? 'json' : 'csv');
    const name = context.string('name') ?? basename(path);
    const dataset = await context.client().uploadDatasetFile(new Blob([content]), basename(path), { name, format, target, task });
    if (context.json) return context.printJson(dataset);
    context.print(dataset.id);
    context.note(`${dataset.name}: ${dataset.rows} rows, ${dataset.features.length} features, target ${dataset.target}${classes(dataset)}`);
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
  summary: 'Show one dataset',
  async run(context) {
    const dataset = await context.client().getDataset(context.arg(0, 'the dataset id'));
    if (context.json) return context.printJson(dataset);
    const features = dataset.features.length > 12 ? `${dataset.features.slice(0, 12).join(', ')}, … (${dataset.features.length})` : dataset.features.join(', ');
    context.print(`${dataset.id}  ${dataset.name}  ${dataset.task}, ${dataset.rows} rows\nfeatures  ${features}\ntarget    ${dataset.target}${classes(dataset)}`);
  },
};

function classes(dataset: Dataset): string {
  return dataset.classes ? ` (classes: ${dataset.classes.join(', ')})` : '';
}

import { dirname, resolve } from 'node:path';
import { BUILTIN_DATASETS, DatasetError, isBuiltinId, loadBuiltin } from '@trainyard/backprop';
import { loadConfig, type Limits } from '@trainyard/config';
import { encodeColumn, readTable, typeTable, type ColumnOverride, type DatasetSource, type RawFormat, type RawTable, type TypedDataset } from '@trainyard/tabular';
import { CliError } from './cli-error.ts';
import { describeDatasetError } from './dataset-error-message.ts';
import { readBytes } from './read-file.ts';

export type Task = 'classification' | 'regression';

/** How to read a dataset that is a file rather than a built-in: the upload's fields. */
export interface TableOptions {
  target?: string;
  task?: Task;
  columns?: Record<string, ColumnOverride>;
  format?: RawFormat;
}

/** What the job is checked against before its data is prepared. */
export interface SourceShape {
  task: Task;
  classes?: string[];
  rows: number;
}

type UploadLimits = Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns' | 'maxCategories'>;

/**
 * `builtin:<name>` as the worker loads it, or a table file read and typed as the API types an upload, with the
 * service's own limits (TRAINYARD_MAX_CATEGORIES, TRAINYARD_MAX_DATASET_ROWS/COLUMNS), and kept as the columns
 * the API stores. A relative path is taken from the spec file's folder, as paths inside config files usually are.
 */
export async function loadDataset(reference: string, specPath: string, options: TableOptions, limits?: UploadLimits): Promise<DatasetSource> {
  if (reference.startsWith('builtin:')) return builtin(reference, options);
  if (!options.target) throw new CliError(`dataset ${reference} is a file: name its label column with --target COL`);
  const path = resolve(dirname(specPath), reference);
  const bytes = readBytes(path, 'dataset');
  try {
    return storedSource(await typeFile(bytes, path, options.target, options, limits ?? loadConfig().limits));
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(`dataset ${reference}: ${describeDatasetError(error)}`);
    throw error;
  }
}

export function shapeOf(source: DatasetSource): SourceShape {
  if (source.kind === 'matrix') return { task: source.data.task, classes: source.data.classes, rows: source.data.rows };
  return { task: source.meta.task, classes: source.meta.classes, rows: source.rows };
}

function builtin(reference: string, options: TableOptions): DatasetSource {
  const given = (['target', 'task', 'columns', 'format'] as const).filter((option) => options[option] !== undefined);
  if (given.length > 0) {
    const flags = given.map((option) => `--${option === 'columns' ? 'column' : option}`).join(', ');
    throw new CliError(`${flags} describe${given.length === 1 ? 's' : ''} a dataset file; ${reference} already has its target and task`);
  }
  if (!isBuiltinId(reference)) {
    throw new CliError(`unknown built-in dataset ${reference}; known: ${BUILTIN_DATASETS.map((d) => d.id.slice('builtin:'.length)).join(', ')}`);
  }
  return { kind: 'matrix', data: loadBuiltin(reference) };
}

/** parse-upload.ts of the API, on a file: read (gzip, format by flag, name or content), size limits, typing. */
async function typeFile(bytes: Uint8Array, path: string, target: string, options: TableOptions, limits: UploadLimits): Promise<TypedDataset> {
  if (bytes.length === 0) throw new DatasetError('malformed_dataset', 'the file is empty');
  const format = options.format ?? formatFromFileName(path);
  // One row past the limit is enough to report it; wider tables stop at the header.
  const raw = await readTable(bytes, { ...(format ? { format } : {}), maxRows: limits.maxDatasetRows, maxColumns: limits.maxDatasetColumns + 1 });
  checkSize(raw, limits);
  return typeTable(raw, { target, task: options.task, columns: options.columns, maxCategories: limits.maxCategories });
}

/** As the API's upload route: a format the file's name says plainly; otherwise the content decides. */
export function formatFromFileName(path: string): RawFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

function checkSize(raw: RawTable, limits: UploadLimits): void {
  const problems: string[] = [];
  if (raw.rows > limits.maxDatasetRows) problems.push(`more than ${limits.maxDatasetRows} rows (TRAINYARD_MAX_DATASET_ROWS)`);
  if (raw.columns.length - 1 > limits.maxDatasetColumns) {
    problems.push(`${raw.columns.length - 1} feature columns, more than ${limits.maxDatasetColumns} (TRAINYARD_MAX_DATASET_COLUMNS)`);
  }
  if (problems.length > 0) throw new CliError(`the dataset is larger than the service accepts: ${problems.join('; ')}`);
}

/** The typed dataset as the API stores it and the worker reads it back: typed columns and the dataset's meta. */
function storedSource(dataset: TypedDataset): DatasetSource {
  const { task, target, features, classes } = dataset;
  return {
    kind: 'columns',
    meta: { task, target, features, ...(classes ? { classes } : {}) },
    rows: dataset.table.rows,
    columns: dataset.table.columns.map(encodeColumn),
  };
}

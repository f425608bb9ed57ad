import { DatasetError } from '@trainyard/backprop';
import { ApiError, type ColumnOverrides, type ErrorDetail } from '@trainyard/contracts';
import type { Limits } from '@trainyard/config';
import { rawTableFromObjects, readTable, typeTable, type RawTable, type TypedDataset } from '@trainyard/tabular';

export type UploadFormat = 'csv' | 'json' | 'jsonl' | 'parquet';

export interface DatasetUpload {
  name: string;
  /** Absent: told apart by content. */
  format?: UploadFormat;
  target: string;
  task?: 'classification' | 'regression';
  columns?: ColumnOverrides;
  /** The bytes as received (kept in Dataset.original). */
  original: Buffer;
  /** JSON rows already parsed by the HTTP layer (JSON body with an array `content`). */
  rows?: unknown[];
}

/**
 * Reads the file as users have it and types its columns. A file that cannot be read answers 400
 * `malformed_dataset` naming the format tried; a table that cannot be a dataset 422 `invalid_dataset` with
 * its problems per column (also a classification target with more than TRAINYARD_MAX_CLASSES classes); a
 * table past the limits 422 `limit_exceeded`.
 */
export async function parseUpload(
  upload: DatasetUpload,
  limits: Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns' | 'maxCategories' | 'maxClasses'>,
): Promise<{ dataset: TypedDataset; format: UploadFormat }> {
  if (upload.original.length === 0 && upload.rows === undefined) throw new ApiError('malformed_dataset', 'the file is empty');
  try {
    const raw = await readRaw(upload, limits);
    checkSize(raw, limits);
    const dataset = typeTable(raw, { target: upload.target, task: upload.task, columns: upload.columns, maxCategories: limits.maxCategories });
    checkClasses(dataset, limits.maxClasses);
    return { dataset, format: raw.format };
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    throw new ApiError(error.code, error.message, error.details);
  }
}

function readRaw(upload: DatasetUpload, limits: Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns'>): Promise<RawTable> | RawTable {
  if (upload.rows !== undefined) return rawTableFromObjects(upload.rows);
  // One row past the limit is enough to report it; wider tables stop at the header.
  return readTable(new Uint8Array(upload.original.buffer, upload.original.byteOffset, upload.original.byteLength), {
    ...(upload.format ? { format: upload.format } : {}),
    maxRows: limits.maxDatasetRows,
    maxColumns: limits.maxDatasetColumns + 1,
  });
}

function checkSize(raw: RawTable, limits: Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns'>): void {
  const problems: ErrorDetail[] = [];
  if (raw.rows > limits.maxDatasetRows) {
    problems.push({ message: `more than ${limits.maxDatasetRows} rows; at most ${limits.maxDatasetRows} are accepted (TRAINYARD_MAX_DATASET_ROWS)` });
  }
  if (raw.columns.length - 1 > limits.maxDatasetColumns) {
    problems.push({ message: `${raw.columns.length - 1} feature columns; at most ${limits.maxDatasetColumns} are accepted (TRAINYARD_MAX_DATASET_COLUMNS)` });
  }
  if (problems.length > 0) throw new ApiError('limit_exceeded', 'the dataset is larger than this service accepts', problems);
}

/**
 * A continuous target sent (or taken) as classification would silently become hundreds of one-sample
 * classes: refuse it, with the count, and say what to send instead.
 */
function checkClasses(dataset: TypedDataset, maxClasses: number): void {
  const classes = dataset.classes?.length ?? 0;
  if (dataset.task !== 'classification' || classes <= maxClasses) return;
  const numeric = dataset.profile.find((column) => column.name === dataset.target)?.type === 'number';
  const advice = numeric
    ? 'to predict a number, upload it again with task "regression"'
    : 'a column with this many distinct values is usually an identifier or free text: choose another target';
  throw new ApiError('invalid_dataset',
    `the classification target "${dataset.target}" has ${classes} classes; at most ${maxClasses} are accepted (TRAINYARD_MAX_CLASSES): ${advice}`,
    [{ column: dataset.target, count: classes, message: `${classes} distinct values as classes; at most ${maxClasses} (TRAINYARD_MAX_CLASSES)${numeric ? '; send task "regression"' : ''}` }]);
}

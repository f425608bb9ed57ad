import { DatasetError, parseCsv, parseJsonRows, parseJsonText, type Dataset } from '@trainyard/backprop';
import { ApiError, type ErrorDetail } from '@trainyard/contracts';
import type { Limits } from '@trainyard/config';

export interface DatasetUpload {
  name: string;
  format: 'csv' | 'json';
  target: string;
  task: 'classification' | 'regression';
  /** The bytes as received (kept in Dataset.original). */
  original: Buffer;
  /** JSON rows already parsed by the HTTP layer (JSON body with an array `content`). */
  rows?: unknown[];
}

/**
 * The engine reads the table; its DatasetError says whether the file was unreadable (400
 * `malformed_dataset`) or read but meaningless (422 `invalid_dataset`), with rows and columns.
 */
export function parseUpload(upload: DatasetUpload, limits: Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns'>): Dataset {
  if (upload.original.length === 0) throw new ApiError('malformed_dataset', 'the file is empty');
  let dataset: Dataset;
  try {
    dataset = readTable(upload);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    throw new ApiError(error.code, error.message, error.details);
  }
  const problems: ErrorDetail[] = [];
  if (dataset.rows > limits.maxDatasetRows) {
    problems.push({ message: `${dataset.rows} rows; at most ${limits.maxDatasetRows} are accepted (TRAINYARD_MAX_DATASET_ROWS)` });
  }
  if (dataset.features.length > limits.maxDatasetColumns) {
    problems.push({
      message: `${dataset.features.length} feature columns; at most ${limits.maxDatasetColumns} are accepted (TRAINYARD_MAX_DATASET_COLUMNS)`,
    });
  }
  if (problems.length > 0) throw new ApiError('limit_exceeded', 'the dataset is larger than this service accepts', problems);
  return dataset;
}

function readTable(upload: DatasetUpload): Dataset {
  const options = { target: upload.target, task: upload.task };
  const text = () => upload.original.toString('utf8');
  if (upload.format === 'csv') return parseCsv(text(), options);
  return upload.rows !== undefined ? parseJsonRows(upload.rows, options) : parseJsonText(text(), options);
}

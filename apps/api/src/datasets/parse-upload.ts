import { parseCsv, parseJsonRows, type Dataset } from '@trainyard/backprop';
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

interface EngineDatasetError {
  code?: unknown;
  message: string;
  details?: ErrorDetail[];
}

/** The engine reads the table; its DatasetError becomes a 400 (unreadable) or 422 (meaningless) answer. */
export function parseUpload(upload: DatasetUpload, limits: Pick<Limits, 'maxDatasetRows' | 'maxDatasetColumns'>): Dataset {
  if (upload.original.length === 0) throw new ApiError('malformed_dataset', 'the file is empty');
  let dataset: Dataset;
  try {
    dataset = readTable(upload);
  } catch (error) {
    throw toApiError(error);
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
  if (upload.format === 'csv') return parseCsv(upload.original.toString('utf8'), options);
  if (upload.rows !== undefined) return parseJsonRows(upload.rows, options);
  let rows: unknown;
  try {
    rows = JSON.parse(upload.original.toString('utf8'));
  } catch (error) {
    throw new ApiError('malformed_dataset', `the file is not valid JSON: ${(error as Error).message}`);
  }
  return parseJsonRows(rows, options);
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const engineError = error as EngineDatasetError;
  const message = typeof engineError?.message === 'string' ? engineError.message : 'the dataset cannot be read';
  const details = Array.isArray(engineError?.details) ? engineError.details.slice(0, 20) : undefined;
  // The engine says whether the table was unreadable (400) or read but meaningless (422).
  const code = engineError?.code === 'invalid_dataset' ? 'invalid_dataset' : 'malformed_dataset';
  return new ApiError(code, message, details);
}

/**
 * The error catalogue: every error code Trainyard answers with, declared once, shared by the API (HTTP
 * responses) and the worker (a job's `error.code`). Codes are stable; messages are for people.
 * `retryable: false` means sending the same request again cannot succeed.
 */
export const ERRORS = {
  bad_request: { status: 400, retryable: false, description: 'The request is malformed: schema, JSON syntax, headers or query string. `details` lists each problem with its path.' },
  malformed_dataset: { status: 400, retryable: false, description: 'The uploaded file cannot be read as a table in the format tried (CSV, JSON, JSON Lines, Parquet, optionally gzip-compressed): syntax error, truncated file, empty file. The message names the format and why.' },
  malformed_weights: { status: 400, retryable: false, description: 'The uploaded file is not a readable safetensors file of Trainyard weights.' },
  unauthorized: { status: 401, retryable: false, description: 'No API key, a malformed one, an unknown one or a revoked one.' },
  not_found: { status: 404, retryable: false, description: 'No such route, or no such resource for this tenant (another tenant\'s ids answer this too).' },
  conflict: { status: 409, retryable: false, description: 'The resource is in the wrong state for this request (e.g. deleting a dataset a queued job uses, cancelling a finished job, writing a built-in dataset).' },
  idempotency_conflict: { status: 409, retryable: false, description: 'The Idempotency-Key was already used with a different request body.' },
  idempotency_in_progress: { status: 409, retryable: true, description: 'A request with this Idempotency-Key is still being processed; retry shortly.' },
  payload_too_large: { status: 413, retryable: false, description: 'The request body is larger than TRAINYARD_BODY_LIMIT_BYTES.' },
  unsupported_media_type: { status: 415, retryable: false, description: 'The Content-Type is not accepted by this route.' },
  invalid_spec: { status: 422, retryable: false, description: 'The job is valid JSON but cannot be trained: e.g. output units ≠ classes, softmax not last, input size ≠ dataset features, unknown dataset or initialWeights, weights whose shapes do not match. `details` gives each reason with its path.' },
  invalid_dataset: { status: 422, retryable: false, description: 'The table was read but cannot be a dataset: a row with another number of fields than the header, unknown target or feature column, a value that does not fit a forced column type, a regression target that is not a number, a classification target with more than TRAINYARD_MAX_CLASSES classes. `details` summarises the problems per column and kind, biggest first, with a count and example rows.' },
  not_exportable: { status: 422, retryable: false, description: 'The weights cannot be expressed as the requested export (ONNX): e.g. an uploaded file whose feature columns are named `outputs` or `label`, or appear twice.' },
  invalid_input: { status: 422, retryable: false, description: 'Prediction inputs do not fit the model: wrong row width, or a raw value that cannot be read as its column\'s type (`details` names the row and column).' },
  limit_exceeded: { status: 422, retryable: false, description: 'A configured limit is exceeded (dataset rows/columns, layers, units, parameters, epochs, compute budget, predict rows and rows × inputs, metadata size).' },
  rate_limited: { status: 429, retryable: true, description: 'Too many requests for this API key; wait for Retry-After seconds.' },
  too_many_queued_jobs: { status: 429, retryable: true, description: 'The tenant already has TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT jobs waiting.' },
  too_many_uploads: { status: 429, retryable: true, description: 'The tenant already has TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT dataset uploads in progress; wait for Retry-After seconds.' },
  too_many_streams: { status: 429, retryable: true, description: 'The tenant already has TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT event streams open.' },
  internal: { status: 500, retryable: true, description: 'An unexpected failure on our side; it is logged.' },
  not_ready: { status: 503, retryable: true, description: 'A dependency (PostgreSQL or Redis) does not answer.' },
  // Codes that end a job (`job.error.code`), set by the worker; never an HTTP answer (`jobOnly`).
  diverged: { status: 422, retryable: false, jobOnly: true, description: 'Job failure: the loss became NaN or infinite.' },
  dataset_missing: { status: 422, retryable: false, jobOnly: true, description: 'Job failure: the job\'s dataset was deleted or cannot be read.' },
  bad_initial_weights: { status: 422, retryable: false, jobOnly: true, description: 'Job failure: the initialWeights snapshot is gone or does not fit the model.' },
  backend_unavailable: { status: 422, retryable: false, jobOnly: true, description: 'Job failure: a replay needs the backend and thread count of the job it replays, and no worker offered them within TRAINYARD_REPLAY_WAIT_SECONDS.' },
} as const satisfies Record<string, CatalogueEntry>;

/** `jobOnly`: a code a failed job carries in `error.code`, never an HTTP response. */
interface CatalogueEntry {
  status: number;
  retryable: boolean;
  description: string;
  jobOnly?: true;
}

/** The codes an HTTP response can carry with this status, in catalogue order. */
export function codesAnsweredWith(status: number): ErrorCode[] {
  return (Object.keys(ERRORS) as ErrorCode[]).filter((code) => {
    const entry: CatalogueEntry = ERRORS[code];
    return entry.status === status && entry.jobOnly !== true;
  });
}

export type ErrorCode = keyof typeof ERRORS;

/** One problem inside an error: where (JSON path, or row/column of a dataset) and what. */
export interface ErrorDetail {
  path?: string;
  row?: number;
  column?: string;
  message: string;
  count?: number;
  examples?: number[];
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** An error the API answers as `{ error: { code, message, details? } }` with the catalogue's status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After. */
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], headers?: Record<string, string>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = ERRORS[code].status;
    if (details !== undefined && details.length > 0) this.details = details;
    if (headers !== undefined) this.headers = headers;
  }

  get retryable(): boolean {
    return ERRORS[this.code].retryable;
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

import { ApiRequestError, ConnectionError } from './errors.ts';
import { readServerSentEvents } from './sse.ts';
import type {
  Dataset,
  DatasetFileFields,
  DatasetJsonUpload,
  Evaluation,
  Job,
  JobEvent,
  JobQuery,
  JobSubmitBody,
  ListQuery,
  MetricPoint,
  Page,
  PredictRequest,
  Prediction,
  Snapshot,
  Sweep,
  SweepEvent,
  SweepQuery,
  SweepSubmitBody,
  Trial,
} from './types.ts';

export interface ClientOptions {
  /** Where the API answers, e.g. http://127.0.0.1:3000 ('' in a page served by the API itself). */
  baseUrl: string;
  apiKey: string;
  /** Longest wait for one request's answer headers (not for event streams). Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type WeightsFormat = 'safetensors' | 'json' | 'onnx';

interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Event streams stay open for as long as the job runs. */
  noTimeout?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A typed client of the Trainyard HTTP API (API.md). Throws ApiRequestError on non-2xx answers. */
export class TrainyardClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Bound: a bare `fetch` reference loses its `this` (window) in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  // Datasets

  listDatasets(query: ListQuery = {}): Promise<Page<Dataset>> {
    return this.json('GET', '/v1/datasets', { query: { ...query } });
  }

  getDataset(id: string): Promise<Dataset> {
    return this.json('GET', `/v1/datasets/${encodeURIComponent(id)}`);
  }

  /** JSON upload: the table travels inside `content`. */
  uploadDataset(upload: DatasetJsonUpload): Promise<Dataset> {
    return this.json('POST', '/v1/datasets', { json: upload });
  }

  /**
   * Multipart upload of a file as it is: CSV, JSON, JSON Lines or Parquet, gzip-compressed or not. Without
   * `format` the service tells it by the file name and content; `columns` overrides inferred column types.
   */
  uploadDatasetFile(file: Blob | Uint8Array | ArrayBuffer, fileName: string, fields: DatasetFileFields): Promise<Dataset> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      form.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    form.append('file', file instanceof Blob ? file : new Blob([bytesOf(file)]), fileName); // after the fields, so the service knows them when the file arrives
    return this.json('POST', '/v1/datasets', { body: form });
  }

  async deleteDataset(id: string): Promise<void> {
    await this.send('DELETE', `/v1/datasets/${encodeURIComponent(id)}`);
  }

  // Jobs

  listJobs(query: JobQuery = {}): Promise<Page<Job>> {
    return this.json('GET', '/v1/jobs', { query: { ...query } });
  }

  getJob(id: string, signal?: AbortSignal): Promise<Job> {
    return this.json('GET', `/v1/jobs/${encodeURIComponent(id)}`, { signal });
  }

  submitJob(body: JobSubmitBody, options: { idempotencyKey?: string } = {}): Promise<Job> {
    const headers = options.idempotencyKey === undefined ? undefined : { 'Idempotency-Key': options.idempotencyKey };
    return this.json('POST', '/v1/jobs', { json: body, headers });
  }

  cancelJob(id: string): Promise<Job> {
    return this.json('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`);
  }

  /** A new job (202, `replayOf`) that trains a succeeded job again from the same inputs; once it succeeds, `reproduces` says whether the weights are identical. */
  replay(jobId: string): Promise<Job> {
    return this.json('POST', `/v1/jobs/${encodeURIComponent(jobId)}/replay`);
  }

  async deleteJob(id: string): Promise<void> {
    await this.send('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** One page of the metric series, oldest first; `after` is a step. */
  listMetrics(id: string, query: { after?: number; limit?: number } = {}, signal?: AbortSignal): Promise<Page<MetricPoint>> {
    return this.json('GET', `/v1/jobs/${encodeURIComponent(id)}/metrics`, { query, signal });
  }

  /** Every metric point after `after` (all pages). */
  async allMetrics(id: string, after?: number, signal?: AbortSignal): Promise<MetricPoint[]> {
    const points: MetricPoint[] = [];
    for (;;) {
      const page = await this.listMetrics(id, { after }, signal);
      points.push(...page.data);
      if (!page.hasMore || page.data.length === 0) return points;
      after = page.data[page.data.length - 1].step;
    }
  }

  listSnapshots(jobId: string, query: ListQuery = {}, signal?: AbortSignal): Promise<Page<Snapshot>> {
    return this.json('GET', `/v1/jobs/${encodeURIComponent(jobId)}/snapshots`, { query: { ...query }, signal });
  }

  /**
   * Predictions with the job's final weights (or `snapshot`'s): `{ rows }` of raw values by column name, or
   * `{ inputs }` (also a bare array) of numbers in feature order. The service bounds the rows per request.
   */
  predict(jobId: string, request: PredictRequest | number[][], options: { snapshot?: string } | string = {}): Promise<Prediction> {
    const body = Array.isArray(request) ? { inputs: request } : request;
    const snapshot = typeof options === 'string' ? options : options.snapshot;
    return this.json('POST', `/v1/jobs/${encodeURIComponent(jobId)}/predict`, { json: body, query: { snapshot } });
  }

  /** A succeeded job's evaluation on its held-out rows (409 before it succeeded). */
  evaluation(jobId: string, options: { snapshot?: string; signal?: AbortSignal } = {}): Promise<Evaluation> {
    return this.json('GET', `/v1/jobs/${encodeURIComponent(jobId)}/evaluation`, { query: { snapshot: options.snapshot }, signal: options.signal });
  }

  // Sweeps

  submitSweep(body: SweepSubmitBody): Promise<Sweep> {
    return this.json('POST', '/v1/sweeps', { json: body });
  }

  listSweeps(query: SweepQuery = {}): Promise<Page<Sweep>> {
    return this.json('GET', '/v1/sweeps', { query: { ...query } });
  }

  getSweep(id: string, signal?: AbortSignal): Promise<Sweep> {
    return this.json('GET', `/v1/sweeps/${encodeURIComponent(id)}`, { signal });
  }

  /** One page of the leaderboard: trials best first by the objective, those without a value last. */
  sweepTrials(id: string, query: ListQuery = {}, signal?: AbortSignal): Promise<Page<Trial>> {
    return this.json('GET', `/v1/sweeps/${encodeURIComponent(id)}/trials`, { query: { ...query }, signal });
  }

  /** No new trials; queued ones are cancelled at once, running ones within a step. */
  cancelSweep(id: string): Promise<Sweep> {
    return this.json('POST', `/v1/sweeps/${encodeURIComponent(id)}/cancel`);
  }

  // Weights: the raw bytes (safetensors) or JSON text, as the service sent them.

  async snapshotWeights(snapshotId: string, format: WeightsFormat = 'safetensors'): Promise<Uint8Array> {
    const response = await this.send('GET', `/v1/snapshots/${encodeURIComponent(snapshotId)}/weights`, { query: { format } });
    return new Uint8Array(await response.arrayBuffer());
  }

  async jobWeights(jobId: string, options: { format?: WeightsFormat; which?: 'final' | 'best' } = {}): Promise<Uint8Array> {
    const response = await this.send('GET', `/v1/jobs/${encodeURIComponent(jobId)}/weights`, { query: { ...options } });
    return new Uint8Array(await response.arrayBuffer());
  }

  // Events

  /**
   * The job's events, replayed after `lastEventId` then live; ends after the final status (or when the
   * server closes the stream, or `signal` aborts).
   */
  async *events(jobId: string, options: { lastEventId?: string | null; signal?: AbortSignal } = {}): AsyncGenerator<JobEvent> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
    const response = await this.send('GET', `/v1/jobs/${encodeURIComponent(jobId)}/events`, { headers, signal: options.signal, noTimeout: true });
    if (response.body === null) throw new ApiRequestError(response.status, 'no_body', 'the event stream has no body');
    for await (const message of readServerSentEvents(response.body)) {
      if (message.event !== 'status' && message.event !== 'progress' && message.event !== 'metrics' && message.event !== 'snapshot') continue;
      yield { id: message.id, type: message.event, data: JSON.parse(message.data) } as JobEvent;
    }
  }

  /**
   * The sweep's `trial` and `status` events: first the sweep as it stands, then every change; ends after the
   * sweep's final status (or when the server closes the stream, or `signal` aborts).
   */
  async *sweepEvents(sweepId: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<SweepEvent> {
    const response = await this.send('GET', `/v1/sweeps/${encodeURIComponent(sweepId)}/events`, {
      headers: { Accept: 'text/event-stream' }, signal: options.signal, noTimeout: true,
    });
    if (response.body === null) throw new ApiRequestError(response.status, 'no_body', 'the event stream has no body');
    for await (const message of readServerSentEvents(response.body)) {
      if (message.event !== 'trial' && message.event !== 'status') continue;
      yield { id: message.id, type: message.event, data: JSON.parse(message.data) } as SweepEvent;
    }
  }

  // Plumbing

  /** Sends a request and parses its JSON answer (undefined for 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, { ...options, headers: { Accept: 'application/json', ...options.headers } });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Sends a request; resolves with the response when it is 2xx, else throws ApiRequestError. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const signals = [options.signal, options.noTimeout ? undefined : AbortSignal.timeout(this.timeoutMs)].filter(
      (signal): signal is AbortSignal => signal !== undefined,
    );
    let response: Response;
    try {
      response = await this.fetchImpl(url, { method, headers, body, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined });
    } catch (error) {
      if (options.signal?.aborted) throw error; // the caller gave up: not a connection problem
      throw new ConnectionError(url, error);
    }
    if (!response.ok) throw await ApiRequestError.from(response);
    return response;
  }

  private url(path: string, query: RequestOptions['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }
}

/** The bytes on a plain ArrayBuffer, copied when a view's buffer might be shared (a Blob takes no shared memory). */
function bytesOf(data: Uint8Array | ArrayBuffer): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

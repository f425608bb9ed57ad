// The API's shapes, taken from the same TypeBox schemas the service validates with (types only: nothing
// of @trainyard/contracts is bundled into the browser).
import type { Static } from 'typebox';
import type {
  ColumnOverrides,
  ColumnProfileResponse,
  DatasetMultipartFields,
  DatasetResponse,
  EvaluationResponse,
  JobResponse,
  MetricPointResponse,
  MetricsEventData,
  PredictResponse,
  ProgressEventData,
  SnapshotEventData,
  SnapshotResponse,
  StatusEventData,
  SweepListQuery,
  SweepResponse,
  TrialResponse,
  WeightsJson,
} from '@trainyard/contracts';

export type {
  ColumnOverrides,
  DatasetJsonUpload,
  DatasetMultipartFields,
  JobQuery,
  JobSubmitBody,
  ListQuery,
  ErrorDetail,
  SweepSubmitBody,
} from '@trainyard/contracts';

export type Job = JobResponse;
export type JobStatus = Job['status'];
export type Dataset = DatasetResponse;
export type ColumnProfile = ColumnProfileResponse;
export type ColumnType = ColumnProfile['type'];
export type DatasetFormat = NonNullable<DatasetMultipartFields['format']>;
export type Evaluation = EvaluationResponse;
export type Snapshot = SnapshotResponse;
export type MetricPoint = MetricPointResponse;
export type Prediction = Static<typeof PredictResponse>;
export type WeightsAsJson = Static<typeof WeightsJson>;
export type Sweep = SweepResponse;
export type SweepStatus = Sweep['status'];
/** One row of a sweep's leaderboard (`GET /v1/sweeps/:id/trials`). */
export type Trial = TrialResponse;
export type SweepQuery = Static<typeof SweepListQuery>;

/** The fields of a file upload; `columns` may be given as the object itself (sent as its JSON string). */
export type DatasetFileFields = Omit<DatasetMultipartFields, 'columns'> & { columns?: ColumnOverrides | string };

/** One row of raw values by column name, as in the uploaded file (null or absent = missing). */
export type RawRow = Record<string, unknown>;

/** `POST /v1/jobs/:id/predict`: rows of numbers in feature order (null = missing), or raw rows by column name. */
export type PredictRequest = { inputs: (number | null)[][] } | { rows: RawRow[] };

/** Every list route answers one page of this shape. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/** One event of `GET /v1/jobs/:id/events`; `id` is the SSE id (null when made up by polling). */
export type JobEvent =
  | { id: string | null; type: 'status'; data: StatusEventData }
  | { id: string | null; type: 'progress'; data: ProgressEventData }
  | { id: string | null; type: 'metrics'; data: MetricsEventData }
  | { id: string | null; type: 'snapshot'; data: SnapshotEventData };

/**
 * One event of `GET /v1/sweeps/:id/events`: a trial's leaderboard row changed, or the sweep's status, counts or
 * best trial did. `id` is the SSE id (counted per connection: the stream starts with the sweep as it stands).
 */
export type SweepEvent =
  | { id: string | null; type: 'trial'; data: Trial }
  | { id: string | null; type: 'status'; data: Sweep };

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

// The API's shapes, taken from the same TypeBox schemas the service validates with (types only: nothing
// of @trainyard/contracts is bundled into the browser).
import type { Static } from 'typebox';
import type {
  DatasetResponse,
  JobResponse,
  MetricPointResponse,
  MetricsEventData,
  PredictResponse,
  ProgressEventData,
  SnapshotEventData,
  SnapshotResponse,
  StatusEventData,
  WeightsJson,
} from '@trainyard/contracts';

export type {
  DatasetJsonUpload,
  DatasetMultipartFields,
  JobQuery,
  JobSubmitBody,
  ListQuery,
  ErrorDetail,
} from '@trainyard/contracts';

export type Job = JobResponse;
export type JobStatus = Job['status'];
export type Dataset = DatasetResponse;
export type Snapshot = SnapshotResponse;
export type MetricPoint = MetricPointResponse;
export type Prediction = Static<typeof PredictResponse>;
export type WeightsAsJson = Static<typeof WeightsJson>;

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

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export const isTerminal = (status: JobStatus): boolean => TERMINAL_STATUSES.includes(status);

import { Type, type Static } from 'typebox';
import { EpochMetricsSchema, Nullable, Timestamp } from './common.ts';
import { JobStatusSchema } from './jobs.ts';
import { SnapshotSchema } from './snapshots.ts';

/**
 * Job events: rows of JobEvent, replayed and streamed by `GET /v1/jobs/:id/events`
 * (SSE `id:` = JobEvent.id, `event:` = type, `data:` = the payload below as JSON).
 */
export const StatusEventData = Type.Object({
  status: JobStatusSchema,
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  at: Timestamp,
});
export type StatusEventData = Static<typeof StatusEventData>;

export const ProgressEventData = Type.Object({
  epoch: Type.Integer(),
  epochs: Type.Integer(),
  step: Type.Integer(),
  steps: Type.Integer(),
  fraction: Type.Number(),
  samplesPerSecond: Nullable(Type.Number()),
});
export type ProgressEventData = Static<typeof ProgressEventData>;

export const MetricsEventData = Type.Object({
  epoch: Type.Integer(),
  step: Type.Integer(),
  ...EpochMetricsSchema.properties,
  at: Timestamp,
});
export type MetricsEventData = Static<typeof MetricsEventData>;

export const SnapshotEventData = SnapshotSchema;
export type SnapshotEventData = Static<typeof SnapshotEventData>;

export const JOB_EVENT_TYPES = ['status', 'progress', 'metrics', 'snapshot'] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

export const JOB_EVENT_SCHEMAS = {
  status: StatusEventData,
  progress: ProgressEventData,
  metrics: MetricsEventData,
  snapshot: SnapshotEventData,
} as const;

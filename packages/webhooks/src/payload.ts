// What a webhook says: the event (the status the job just moved to) and the job as it stood then.
import { JOB_VIEW_COLUMNS, jobProgress, type Prisma } from '@trainyard/db';

/** Status changes a job's `webhook.events` may list (API.md: the contract's WebhookEventSchema). */
export const WEBHOOK_EVENTS = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What the API fills in when a job names a webhook without events. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ['succeeded', 'failed', 'cancelled'];

/** The Job columns a webhook body is made of: the API's view of a job, and whose it is. */
export const WEBHOOK_JOB_COLUMNS = { ...JOB_VIEW_COLUMNS, tenantId: true } as const satisfies Prisma.JobSelect;

export type WebhookJob = Prisma.JobGetPayload<{ select: typeof WEBHOOK_JOB_COLUMNS }>;

export interface WebhookTarget {
  url: string;
  events: string[];
}

/** The webhook a stored spec names, or null. Read defensively: spec is JSON written by another process. */
export function webhookOf(spec: Prisma.JsonValue): WebhookTarget | null {
  if (!isObject(spec) || !isObject(spec.webhook)) return null;
  const { url, events } = spec.webhook;
  if (typeof url !== 'string') return null;
  if (events === undefined || events === null) return { url, events: [...DEFAULT_WEBHOOK_EVENTS] };
  if (!Array.isArray(events)) return null;
  return { url, events: events.filter((event): event is string => typeof event === 'string') };
}

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly unknown[]).includes(value);
}

/** The JSON a receiver gets, minus its `id` (the delivery row's, known once the row exists). */
export function webhookBody(event: WebhookEvent, job: WebhookJob, at: Date): Prisma.InputJsonObject {
  const spec = isObject(job.spec) ? job.spec : {};
  return {
    event,
    job: {
      id: job.id,
      status: job.status,
      dataset: job.datasetId,
      error: job.errorCode === null ? null : { code: job.errorCode, message: job.errorMessage ?? job.errorCode },
      progress: jobProgress(job),
      metrics: (job.metrics as Prisma.InputJsonValue | null) ?? null,
      samplesPerSecond: job.samplesPerSecond,
      backend: job.backend,
      stoppedEarly: job.stoppedEarly,
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
      bestSnapshot: job.bestSnapshotId,
      finalSnapshot: job.finalSnapshotId,
      metadata: (spec.metadata as Prisma.InputJsonValue | undefined) ?? null,
    },
    at: at.toISOString(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

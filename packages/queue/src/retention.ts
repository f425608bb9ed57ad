// How much finished-job history BullMQ keeps. PostgreSQL holds the real history, so Redis keeps only enough
// to look at in Bull Board; every bound is by count AND age, so Redis memory stays bounded under any load.

export interface QueueRetention {
  /** Completed BullMQ jobs kept, newest first. */
  keepCompleted: number;
  /** Failed BullMQ jobs kept, newest first. */
  keepFailed: number;
  /** Finished jobs older than this are dropped (when the next job finishes). */
  keepAgeSeconds: number;
  /** Approximate length of the queue's event stream. */
  eventsMaxLen: number;
  /** BullMQ retries of a job whose processor threw a retryable error (infrastructure trouble). */
  attempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
}

export const DEFAULT_RETENTION: QueueRetention = {
  keepCompleted: 1_000,
  keepFailed: 5_000,
  keepAgeSeconds: 24 * 3600,
  eventsMaxLen: 1_000,
  attempts: 3,
  backoffMs: 1_000,
};

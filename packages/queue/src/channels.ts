// Redis pub/sub channels shared by the API and the worker. Messages are ids; the data lives in PostgreSQL.

/** Message: a job id whose cancellation was requested; the worker holding that job aborts it. */
export const CANCEL_CHANNEL = 'trainyard:cancel';

const JOB_EVENTS_PREFIX = 'trainyard:events:';

/** Message: the id of the JobEvent row just inserted for this job; SSE streams re-read the table. */
export function jobEventsChannel(jobId: string): string {
  return `${JOB_EVENTS_PREFIX}${jobId}`;
}

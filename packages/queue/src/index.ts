export { createRedis, closeRedis, DEFAULT_REDIS_URL } from './connection.ts';
export { JobPayloadSchema, parseJobPayload, InvalidPayloadError, type JobPayload } from './payload.ts';
export { JobQueue, TRAIN_JOB_NAME, type JobQueueOptions, type EnqueueResult } from './job-queue.ts';
export { DEFAULT_RETENTION, type QueueRetention } from './retention.ts';
export { CANCEL_CHANNEL, jobEventsChannel } from './channels.ts';
export { QueueSubscriber, type Unsubscribe } from './subscriber.ts';
export { reconcile, RECONCILE_BATCH_SIZE, type ReconcileResult } from './reconcile.ts';
export { unknownJobCount, unknownJobsKey } from './unknown-jobs.ts';
export { continueSweep, startTrials, reconcileSweeps } from './sweep-trials.ts';

// The job queue: BullMQ carries job ids (the BullMQ job id IS our job id), Redis pub/sub carries cancel
// requests and event notifications. PostgreSQL stays the source of truth; everything here can be rebuilt
// from it by `reconcile`.
import { Queue, type JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import { CANCEL_CHANNEL, jobEventsChannel } from './channels.ts';
import { closeRedis, createRedis } from './connection.ts';
import { parseJobPayload, type JobPayload } from './payload.ts';
import { DEFAULT_RETENTION, type QueueRetention } from './retention.ts';
import { countUnknownJob } from './unknown-jobs.ts';

/** BullMQ job name of every training job. */
export const TRAIN_JOB_NAME = 'train';

/** States in which BullMQ will still hand the job to a worker (or a worker holds it). */
const HELD_STATES: ReadonlySet<string> = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export type EnqueueResult = 'added' | 'already_queued' | 'replaced';

export interface JobQueueOptions {
  /** BullMQ queue name; tests use a unique one. */
  name: string;
  /** Defaults to REDIS_URL, then redis://127.0.0.1:6379. */
  redisUrl?: string;
  retention?: Partial<QueueRetention>;
}

export class JobQueue {
  readonly name: string;
  readonly retention: QueueRetention;
  /** For Bull Board and BullMQ Workers on the same queue. */
  readonly bull: Queue<JobPayload>;
  private readonly redis: Redis;
  private closing: Promise<void> | undefined;

  constructor(options: JobQueueOptions) {
    this.name = options.name;
    this.retention = { ...DEFAULT_RETENTION, ...options.retention };
    // Not a blocking connection: commands fail after a few reconnect attempts instead of waiting forever,
    // so an API submit answers even while Redis is down (the reconciler enqueues the row later).
    this.redis = createRedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    const { keepCompleted, keepFailed, keepAgeSeconds, eventsMaxLen, attempts, backoffMs } = this.retention;
    this.bull = new Queue<JobPayload>(options.name, {
      connection: this.redis,
      streams: { events: { maxLen: eventsMaxLen } },
      defaultJobOptions: {
        removeOnComplete: { count: keepCompleted, age: keepAgeSeconds },
        removeOnFail: { count: keepFailed, age: keepAgeSeconds },
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
      },
    });
    // Connection trouble surfaces on the calls that fail; the queue itself reconnects.
    this.bull.on('error', () => {});
  }

  /**
   * Makes sure a worker will run this job. Idempotent: a job BullMQ already holds (waiting, active, delayed)
   * is left alone; a finished BullMQ entry left from an earlier run is replaced, so a job PostgreSQL still
   * calls queued or running is never stuck behind its own history.
   */
  async enqueue(jobId: string): Promise<EnqueueResult> {
    parseJobPayload({ jobId });
    const state = await this.state(jobId);
    if (state !== null && HELD_STATES.has(state)) return 'already_queued';
    // remove() answers 0 for a job that became active meanwhile: add() below is then a no-op, which is right.
    if (state !== null) await this.bull.remove(jobId);
    await this.bull.add(TRAIN_JOB_NAME, { jobId }, { jobId });
    return state === null ? 'added' : 'replaced';
  }

  /** Drops a job no worker holds (e.g. cancelled while queued). True when it is gone (or was never there), false when a worker holds it. */
  async remove(jobId: string): Promise<boolean> {
    return (await this.bull.remove(jobId)) === 1;
  }

  /** BullMQ's state for the job, or null when Redis does not know it. */
  async state(jobId: string): Promise<JobState | null> {
    const state = await this.bull.getJobState(jobId);
    return state === 'unknown' ? null : state;
  }

  /** The subset of ids that BullMQ holds (waiting, active, delayed…): the others need enqueueing. */
  async held(jobIds: readonly string[]): Promise<Set<string>> {
    const states = await Promise.all(jobIds.map((id) => this.state(id)));
    return new Set(jobIds.filter((_, index) => states[index] !== null && HELD_STATES.has(states[index]!)));
  }

  /** Asks whichever worker holds the job to stop it (pub/sub: reaches every worker process). */
  async requestCancel(jobId: string): Promise<void> {
    await this.redis.publish(CANCEL_CHANNEL, jobId);
  }

  /** Wakes the SSE streams of a job after a JobEvent row was inserted. */
  async publishEvent(jobId: string, eventId: bigint | number | string): Promise<void> {
    await this.redis.publish(jobEventsChannel(jobId), String(eventId));
  }

  /** Counts a dequeued job id this deployment's database does not know; answers the queue's total so far. */
  recordUnknownJob(): Promise<number> {
    return countUnknownJob(this.redis, this.name);
  }

  /** Closes the queue and its connection. Idempotent, never throws, bounded in time. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.race([this.bull.close().catch(() => {}), delay(2_000)]);
      await closeRedis(this.redis);
    })();
    return this.closing;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

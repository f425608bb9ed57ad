import type { Ajv } from 'ajv';
import type { Redis } from 'ioredis';
import type { Config } from '@trainyard/config';
import type { JobQueue } from '@trainyard/queue';
import type { WebhookDispatcher } from '@trainyard/webhooks';
import type { PrismaClient } from '@trainyard/db';
import type { KeyCache } from './auth/key-cache.ts';
import type { EventBus } from './event-bus.ts';
import type { Idempotency } from './idempotency.ts';
import type { JobCache } from './jobs/job-cache.ts';
import type { StreamRegistry } from './jobs/stream-registry.ts';

/** What the API needs from the job queue (@trainyard/queue's JobQueue). */
export type JobQueuePort = Pick<JobQueue, 'enqueue' | 'remove' | 'requestCancel' | 'publishEvent'>;

/** What the API needs from the webhooks package (its WebhookDispatcher). */
export type WebhookPort = Pick<WebhookDispatcher, 'notify'>;

/** Everything a route module may use, built once by buildApp. */
export interface AppContext {
  config: Config;
  prisma: PrismaClient;
  redis: Redis;
  queue: JobQueuePort;
  /** Status changes the API makes (queued → cancelled) are sent through it; null: no webhooks (tests). */
  webhooks: WebhookPort | null;
  bus: EventBus;
  /** This process's key→tenant cache (other processes hear of revocations over pub/sub). */
  keyCache: KeyCache;
  /** Serialised GET /v1/jobs/:id answers, dropped on every job event. */
  jobCache: JobCache;
  idempotency: Idempotency;
  streams: StreamRegistry;
  /** Strict validator for bodies a route parses itself (multipart fields). */
  ajv: Ajv;
}

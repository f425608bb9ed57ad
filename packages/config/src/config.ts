import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { defaultQueueName } from './queue-name.ts';

/**
 * Every setting and limit of Trainyard, read from the environment once at start.
 *
 * | Variable                                  | Default                                         | Meaning |
 * |-------------------------------------------|-------------------------------------------------|---------|
 * | `PORT`                                    | 3000                                            | HTTP port of the API |
 * | `HOST`                                    | 0.0.0.0                                         | Interface the API listens on |
 * | `DATABASE_URL`                            | postgresql://postgres@127.0.0.1:5432/trainyard  | PostgreSQL, the source of truth |
 * | `DATABASE_POOL_SIZE`                      | 10                                              | Connections per process |
 * | `REDIS_URL`                               | redis://127.0.0.1:6379                          | Queue, pub/sub, rate limits |
 * | `TRAINYARD_QUEUE`                         | trainyard-jobs-<database>-<hash> (queue-name.ts)| BullMQ queue name; the default is derived from DATABASE_URL, so deployments sharing a Redis never share a queue |
 * | `WORKER_CONCURRENCY`                      | the number of cores (`os.availableParallelism()`) | Jobs one worker trains at once, each on its own warm training thread |
 * | `LOG_LEVEL`                               | info                                            | pino level (`silent` to mute) |
 * | `TRAINYARD_ADMIN_KEY`                     | (unset: /admin answers 404)                     | Bearer key for the /admin routes |
 * | `TRAINYARD_BOOTSTRAP_KEY`                 | (unset)                                         | API key ensured at start for tenant `default` |
 * | `TRAINYARD_AUTH_CACHE_TTL_MS`             | 5000                                            | How long a key→tenant lookup is reused; bounds revocation delay when pub/sub is missed |
 * | `TRAINYARD_JOB_CACHE_TTL_MS`              | 1000                                            | How long GET /v1/jobs/:id answers from memory; job events invalidate sooner (0: off) |
 * | `TRAINYARD_IDEMPOTENCY_TTL_HOURS`         | 24                                              | How long an Idempotency-Key is remembered |
 * | `TRAINYARD_ENQUEUE_TIMEOUT_MS`            | 2000                                            | Longest a submit waits for Redis to take the job (the reconciler queues it later) |
 * | `TRAINYARD_SHUTDOWN_TIMEOUT_MS`           | 10000                                           | Longest a graceful shutdown waits for in-flight work |
 * | `TRAINYARD_SSE_HEARTBEAT_MS`              | 15000                                           | Comment line sent on idle SSE streams (also re-reads the database) |
 * | `TRAINYARD_METRICS_REFRESH_MS`            | 5000                                            | How long GET /metrics reuses its PostgreSQL and queue readings (one grouped query per refresh, however often it is scraped) |
 * | `TRAINYARD_PAGE_SIZE_DEFAULT`             | 20                                              | List page size when `limit` is absent |
 * | `TRAINYARD_PAGE_SIZE_MAX`                 | 100                                             | Largest `limit` a list accepts |
 * | `TRAINYARD_METRICS_PAGE_SIZE`             | 1000                                            | Largest page of a job's metric series |
 * | `TRAINYARD_BODY_LIMIT_BYTES`              | 52428800 (50 MiB)                               | Largest request body (413 above) |
 * | `TRAINYARD_MAX_DATASET_ROWS`              | 5000000                                         | Rows in one uploaded dataset (422 above; the body limit usually binds first) |
 * | `TRAINYARD_MAX_CATEGORIES`                | 100                                             | Distinct values a string column may have to be typed `category` at upload (more: `text`) |
 * | `TRAINYARD_MAX_DATASET_COLUMNS`           | 4096                                            | Feature columns in one dataset (422 above) |
 * | `TRAINYARD_MAX_LAYERS`                    | 16                                              | Dense layers in one model (422 above) |
 * | `TRAINYARD_MAX_UNITS_PER_LAYER`           | 4096                                            | Units in one layer (422 above) |
 * | `TRAINYARD_MAX_PARAMETERS`                | 5000000                                         | Weights + biases in one model (422 above) |
 * | `TRAINYARD_MAX_EPOCHS`                    | 10000                                           | `training.epochs` (422 above) |
 * | `TRAINYARD_MAX_COMPUTE_BUDGET`            | 200000000                                       | epochs × dataset rows of one job (422 above) |
 * | `TRAINYARD_MAX_SNAPSHOTS_KEEP`            | 100                                             | `snapshots.keep` (422 above) |
 * | `TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT`    | 100                                             | Queued jobs a tenant may have waiting (429 above) |
 * | `TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT`| 20                                              | Open event streams per tenant per API process (429 above) |
" * | `TRAINYARD_MAX_SWEEP_TRIALS`              | 1000                                            | Trials of one sweep (422 above) |
 * | `TRAINYARD_MAX_SWEEP_PARALLELISM`         | 64                                              | `parallelism` of one sweep (422 above) |
 * | `TRAINYARD_MAX_PREDICT_ROWS`              | 10000                                           | Rows in one predict request (422 above) |
 * | `TRAINYARD_MAX_PREDICT_CELLS`             | 2000000                                         | Rows × encoded inputs of one predict request (422 above) |
 * | `TRAINYARD_MAX_CLASSES`                   | 200                                             | Classes a classification target may have at upload (422 above, suggesting regression) |
 * | `TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT` | 4                                           | Dataset uploads a tenant may have in progress at once, across API processes (counted in Redis; 429 + Retry-After above) |
 * | `TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT`   | 4                                               | Jobs of one tenant training at once across all workers; a worker leaves further ones queued (delayed) until one ends |
 * | `TRAINYARD_MAX_METADATA_BYTES`            | 16384                                           | JSON size of a job's `metadata` (422 above) |
 * | `TRAINYARD_RATE_LIMIT_PER_MINUTE`         | 0 (off)                                         | Requests per API key per minute, counted in Redis (429 + Retry-After above) |
 * | `WORKER_LOCK_DURATION_MS`                 | 15000                                           | BullMQ lock on a job being trained, renewed every half of it by the worker's main thread (training runs in a thread, so renewals are never starved). A killed worker's job is picked up again after at most this + `WORKER_STALLED_INTERVAL_MS` |
 * | `WORKER_STALLED_INTERVAL_MS`              | 5000                                            | How often each worker looks for jobs whose lock expired (one Redis script call) |
 * | `WORKER_MAX_STALLED_COUNT`                | 5                                               | Lock expiries BullMQ tolerates per queue entry before failing it; the reconciler re-queues it anyway, `TRAINYARD_MAX_JOB_ATTEMPTS` is the real bound |
 * | `TRAINYARD_MAX_JOB_ATTEMPTS`              | 10                                              | Starts of one job (first start, resumes after a crash or a hand-back) after which it fails with `internal` |
 * | `TRAINYARD_CHECKPOINT_INTERVAL_MS`        | 5000                                            | Longest time between two resumable checkpoints (taken at the first step or epoch end past it, and at the last epoch) |
 * | `TRAINYARD_PROGRESS_INTERVAL_MS`          | 1000                                            | Longest time between two progress events; a running job's reports are written at most this often, in one transaction |
 * | `TRAINYARD_RECONCILE_INTERVAL_MS`         | 30000                                           | How often each worker re-queues jobs PostgreSQL calls queued/running that Redis does not hold |
 * | `TRAINYARD_REPLAY_WAIT_SECONDS`           | 300                                             | How long a replay waits for a worker that has the replayed job's backend (others leave it in the queue); then it fails with `backend_unavailable` |
 * | `TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS`      | 300                                             | How long a worker puts back a queue entry whose job id its database does not know (another deployment on the same TRAINYARD_QUEUE), logging each time, before it fails the entry `unknown_job` |
 * | `TRAINYARD_QUEUE_KEEP_COMPLETED`          | 1000                                            | Completed BullMQ entries kept in Redis (history lives in PostgreSQL) |
 * | `TRAINYARD_QUEUE_KEEP_FAILED`             | 5000                                            | Failed BullMQ entries kept in Redis |
 * | `TRAINYARD_QUEUE_KEEP_AGE_SECONDS`        | 86400                                           | Finished BullMQ entries older than this are dropped |
 * | `TRAINYARD_QUEUE_EVENTS_MAX_LEN`          | 1000                                            | Approximate length of BullMQ's event stream in Redis |
 * | `WEBHOOK_TIMEOUT_MS`                      | 10000                                           | Longest one webhook POST may take (delivery worker) |
 * | `WEBHOOK_MAX_ATTEMPTS`                    | 8                                               | POSTs of one delivery before it is given up |
 * | `WEBHOOK_BACKOFF_MS`                      | 2000                                            | Wait before the first webhook retry, doubled at each further one |
 * | `WEBHOOK_CONCURRENCY`                     | 8                                               | Deliveries one delivery worker sends at once |
 * | `WEBHOOK_ENQUEUE_TIMEOUT_MS`              | 2000                                            | Longest a status change waits for Redis to take its delivery (the reconciler queues it later) |
 * | `TRAINYARD_WEBHOOK_ALLOW_PRIVATE`         | false                                           | true: webhooks may go to loopback, private, link-local and other internal addresses (refused otherwise) |
 * | `TRAINYARD_CORS_ORIGINS`                  | (unset: no CORS headers)                        | Comma-separated browser origins (`https://app.example.com`) allowed to call the API cross-origin, or `*` for any; bearer keys only, no cookies |
 * | `TRAINYARD_WEBHOOK_ALLOWED_CIDRS`         | (none)                                          | Comma-separated internal ranges webhooks may go to anyway, e.g. `10.1.0.0/16,127.0.0.1/32` |
 */
export interface Limits {
  bodyLimitBytes: number;
  maxDatasetRows: number;
  maxDatasetColumns: number;
  /** Distinct string values up to which an uploaded column is a category (more: text). */
  maxCategories: number;
  maxLayers: number;
  maxUnitsPerLayer: number;
  maxParameters: number;
  maxEpochs: number;
  /** epochs × dataset rows: the work one job may ask for. */
  maxComputeBudget: number;
  maxSnapshotsKeep: number;
  maxQueuedJobsPerTenant: number;
  maxSseConnectionsPerTenant: number;
  maxPredictRows: number;
  /** Trials of one sweep, and trials of one sweep running at once. */
  maxSweepTrials: number;
  maxSweepParallelism: number;
  /** Rows × encoded inputs of one predict request. */
  maxPredictCells: number;
  /** Classes a classification target may have. */
  maxClasses: number;
  /** Uploads of one tenant in progress at once, across API processes. */
  maxConcurrentUploadsPerTenant: number;
  maxMetadataBytes: number;
  /** 0 turns rate limiting off. */
  rateLimitPerMinute: number;
}

/** How workers hold, checkpoint and recover jobs. */
export interface WorkerSettings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  maxJobAttempts: number;
  checkpointIntervalMs: number;
  progressIntervalMs: number;
  reconcileIntervalMs: number;
  /** How long a replay may wait for a worker with the original's backend before it fails `backend_unavailable`. */
  replayWaitSeconds: number;
  /** How long a queue entry whose job id this database does not know is put back for other workers before it is failed. */
  unknownJobWaitSeconds: number;
  /** Jobs of one tenant running at once across all workers. */
  maxRunningJobsPerTenant: number;
}

/** What Redis keeps of finished queue entries: bounded by count and age. */
export interface QueueRetentionSettings {
  keepCompleted: number;
  keepFailed: number;
  keepAgeSeconds: number;
  eventsMaxLen: number;
}

/** @trainyard/webhooks' WebhookSettings, by name. */
export interface WebhookConfig {
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
  concurrency: number;
  enqueueTimeoutMs: number;
  /** Internal addresses (loopback, private, link-local…) are refused unless this is true or allowedCidrs holds them. */
  allowPrivate: boolean;
  allowedCidrs: string[];
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  queueName: string;
  workerConcurrency: number;
  logLevel: string;
  adminKey: string | null;
  bootstrapKey: string | null;
  authCacheTtlMs: number;
  jobCacheTtlMs: number;
  idempotencyTtlHours: number;
  shutdownTimeoutMs: number;
  enqueueTimeoutMs: number;
  sseHeartbeatMs: number;
  metricsRefreshMs: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  metricsPageSize: number;
  limits: Limits;
  worker: WorkerSettings;
  queueRetention: QueueRetentionSettings;
  webhooks: WebhookConfig;
  /** Origins allowed cross-origin (CORS); empty: CORS off. */
  corsOrigins: string[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks every setting; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const databaseUrl = read.url('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/trainyard', ['postgres:', 'postgresql:']);
  const config: Config = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl,
    databasePoolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 1000),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queueName: read.string('TRAINYARD_QUEUE', defaultQueueName(databaseUrl, env.DATABASE_SCHEMA)),
    // One single-thread job per core trains the most per machine (README, Kernels).
    workerConcurrency: read.integer('WORKER_CONCURRENCY', availableParallelism(), 1, 256),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    adminKey: read.optionalSecret('TRAINYARD_ADMIN_KEY'),
    bootstrapKey: read.optionalSecret('TRAINYARD_BOOTSTRAP_KEY'),
    authCacheTtlMs: read.integer('TRAINYARD_AUTH_CACHE_TTL_MS', 5000, 0, 3_600_000),
    jobCacheTtlMs: read.integer('TRAINYARD_JOB_CACHE_TTL_MS', 1000, 0, 3_600_000),
    idempotencyTtlHours: read.integer('TRAINYARD_IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 365),
    shutdownTimeoutMs: read.integer('TRAINYARD_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    enqueueTimeoutMs: read.integer('TRAINYARD_ENQUEUE_TIMEOUT_MS', 2000, 10, 600_000),
    sseHeartbeatMs: read.integer('TRAINYARD_SSE_HEARTBEAT_MS', 15_000, 100, 600_000),
    metricsRefreshMs: read.integer('TRAINYARD_METRICS_REFRESH_MS', 5000, 0, 3_600_000),
    pageSizeDefault: read.integer('TRAINYARD_PAGE_SIZE_DEFAULT', 20, 1, 10_000),
    pageSizeMax: read.integer('TRAINYARD_PAGE_SIZE_MAX', 100, 1, 10_000),
    metricsPageSize: read.integer('TRAINYARD_METRICS_PAGE_SIZE', 1000, 1, 100_000),
    limits: {
      bodyLimitBytes: read.integer('TRAINYARD_BODY_LIMIT_BYTES', 50 * 1024 * 1024, 1024, 2 ** 31 - 1),
      maxDatasetRows: read.integer('TRAINYARD_MAX_DATASET_ROWS', 5_000_000, 1, 100_000_000),
      maxCategories: read.integer('TRAINYARD_MAX_CATEGORIES', 100, 1, 1_000_000),
      maxDatasetColumns: read.integer('TRAINYARD_MAX_DATASET_COLUMNS', 4096, 1, 1_000_000),
      maxLayers: read.integer('TRAINYARD_MAX_LAYERS', 16, 1, 1000),
      maxUnitsPerLayer: read.integer('TRAINYARD_MAX_UNITS_PER_LAYER', 4096, 1, 1_000_000),
      maxParameters: read.integer('TRAINYARD_MAX_PARAMETERS', 5_000_000, 1, 2 ** 31 - 1),
      maxEpochs: read.integer('TRAINYARD_MAX_EPOCHS', 10_000, 1, 10_000_000),
      maxComputeBudget: read.integer('TRAINYARD_MAX_COMPUTE_BUDGET', 200_000_000, 1, Number.MAX_SAFE_INTEGER),
      maxSnapshotsKeep: read.integer('TRAINYARD_MAX_SNAPSHOTS_KEEP', 100, 0, 100_000),
      maxQueuedJobsPerTenant: read.integer('TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT', 100, 1, 10_000_000),
      maxSseConnectionsPerTenant: read.integer('TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT', 20, 1, 100_000),
      maxPredictRows: read.integer('TRAINYARD_MAX_PREDICT_ROWS', 10_000, 1, 10_000_000),
      maxSweepTrials: read.integer('TRAINYARD_MAX_SWEEP_TRIALS', 1_000, 1, 100_000),
      maxSweepParallelism: read.integer('TRAINYARD_MAX_SWEEP_PARALLELISM', 64, 1, 10_000),
      maxPredictCells: read.integer('TRAINYARD_MAX_PREDICT_CELLS', 2_000_000, 1, 2 ** 31 - 1),
      maxClasses: read.integer('TRAINYARD_MAX_CLASSES', 200, 2, 1_000_000),
      maxConcurrentUploadsPerTenant: read.integer('TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT', 4, 1, 100_000),
      maxMetadataBytes: read.integer('TRAINYARD_MAX_METADATA_BYTES', 16_384, 0, 10_000_000),
      rateLimitPerMinute: read.integer('TRAINYARD_RATE_LIMIT_PER_MINUTE', 0, 0, 100_000_000),
    },
    worker: {
      lockDurationMs: read.integer('WORKER_LOCK_DURATION_MS', 15_000, 1_000, 3_600_000),
      stalledIntervalMs: read.integer('WORKER_STALLED_INTERVAL_MS', 5_000, 500, 3_600_000),
      maxStalledCount: read.integer('WORKER_MAX_STALLED_COUNT', 5, 1, 1_000),
      maxJobAttempts: read.integer('TRAINYARD_MAX_JOB_ATTEMPTS', 10, 1, 1_000),
      checkpointIntervalMs: read.integer('TRAINYARD_CHECKPOINT_INTERVAL_MS', 5_000, 100, 3_600_000),
      progressIntervalMs: read.integer('TRAINYARD_PROGRESS_INTERVAL_MS', 1_000, 50, 3_600_000),
      reconcileIntervalMs: read.integer('TRAINYARD_RECONCILE_INTERVAL_MS', 30_000, 100, 86_400_000),
      replayWaitSeconds: read.integer('TRAINYARD_REPLAY_WAIT_SECONDS', 300, 1, 86_400),
      unknownJobWaitSeconds: read.integer('TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS', 300, 0, 86_400),
      maxRunningJobsPerTenant: read.integer('TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT', 4, 1, 100_000),
    },
    queueRetention: {
      keepCompleted: read.integer('TRAINYARD_QUEUE_KEEP_COMPLETED', 1_000, 0, 10_000_000),
      keepFailed: read.integer('TRAINYARD_QUEUE_KEEP_FAILED', 5_000, 0, 10_000_000),
      keepAgeSeconds: read.integer('TRAINYARD_QUEUE_KEEP_AGE_SECONDS', 86_400, 1, 31_536_000),
      eventsMaxLen: read.integer('TRAINYARD_QUEUE_EVENTS_MAX_LEN', 1_000, 10, 10_000_000),
    },
    webhooks: {
      timeoutMs: read.integer('WEBHOOK_TIMEOUT_MS', 10_000, 1, 600_000),
      maxAttempts: read.integer('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      backoffMs: read.integer('WEBHOOK_BACKOFF_MS', 2_000, 0, 86_400_000),
      concurrency: read.integer('WEBHOOK_CONCURRENCY', 8, 1, 1_000),
      enqueueTimeoutMs: read.integer('WEBHOOK_ENQUEUE_TIMEOUT_MS', 2_000, 1, 600_000),
      allowPrivate: read.boolean('TRAINYARD_WEBHOOK_ALLOW_PRIVATE', false),
      allowedCidrs: read.cidrList('TRAINYARD_WEBHOOK_ALLOWED_CIDRS'),
    },
    corsOrigins: read.originList('TRAINYARD_CORS_ORIGINS'),
  };
  if (config.pageSizeDefault > config.pageSizeMax) {
    problems.push('TRAINYARD_PAGE_SIZE_DEFAULT must not exceed TRAINYARD_PAGE_SIZE_MAX');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads one variable at a time, collecting problems instead of stopping at the first. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalSecret(name: string): string | null {
    const value = this.raw(name);
    if (value !== undefined && value.length < 8) {
      this.problems.push(`${name} must be at least 8 characters long`);
      return null;
    }
    return value ?? null;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value.replaceAll('_', ''));
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  /** `a.b.c.d/n, x:y::/n, …`; the webhooks package parses them again with ipaddr.js. */
  cidrList(name: string): string[] {
    const entries = (this.raw(name) ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const version = isIP(address);
      const prefix = Number(bits);
      if (version === 0 || extra !== undefined || !/^\d{1,3}$/.test(bits ?? '') || prefix > (version === 4 ? 32 : 128)) {
        this.problems.push(`${name} must be comma-separated CIDR ranges such as 10.0.0.0/8 or fd00::/8 (got "${entry}")`);
      }
    }
    return entries;
  }

  /** `https://a.example, http://localhost:5173` (scheme, host and port only), or `*`. */
  originList(name: string): string[] {
    const entries = (this.raw(name) ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    for (const entry of entries) {
      if (entry === '*') continue;
      let origin: string | undefined;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== entry.replace(/\/$/, '') || !/^https?:/.test(entry)) {
        this.problems.push(`${name} must be comma-separated origins such as https://app.example.com or http://localhost:5173, or * (got "${entry}")`);
      }
    }
    return entries.map((entry) => entry.replace(/\/$/, ''));
  }

  oneOf(name: string, fallback: string, allowed: string[]): string {
    const value = this.raw(name) ?? fallback;
    if (!allowed.includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.raw(name) ?? fallback;
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      this.problems.push(`${name} is not a URL (got "${value}")`);
      return fallback;
    }
    if (!protocols.includes(protocol)) {
      this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${protocol}")`);
    }
    return value;
  }
}

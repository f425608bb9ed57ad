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
 * | `TRAINYARD_QUEUE`                         | trainyard-jobs                                  | BullMQ queue name |
 * | `WORKER_CONCURRENCY`                      | 1                                               | Jobs one worker trains at once |
 * | `LOG_LEVEL`                               | info                                            | pino level (`silent` to mute) |
 * | `TRAINYARD_ADMIN_KEY`                     | (unset: /admin answers 404)                     | Bearer key for the /admin routes |
 * | `TRAINYARD_BOOTSTRAP_KEY`                 | (unset)                                         | API key ensured at start for tenant `default` |
 * | `TRAINYARD_AUTH_CACHE_TTL_MS`             | 5000                                            | How long a key→tenant lookup is reused; bounds revocation delay when pub/sub is missed |
 * | `TRAINYARD_IDEMPOTENCY_TTL_HOURS`         | 24                                              | How long an Idempotency-Key is remembered |
 * | `TRAINYARD_SHUTDOWN_TIMEOUT_MS`           | 10000                                           | Longest a graceful shutdown waits for in-flight work |
 * | `TRAINYARD_SSE_HEARTBEAT_MS`              | 15000                                           | Comment line sent on idle SSE streams (also re-reads the database) |
 * | `TRAINYARD_PAGE_SIZE_DEFAULT`             | 20                                              | List page size when `limit` is absent |
 * | `TRAINYARD_PAGE_SIZE_MAX`                 | 100                                             | Largest `limit` a list accepts |
 * | `TRAINYARD_METRICS_PAGE_SIZE`             | 1000                                            | Largest page of a job's metric series |
 * | `TRAINYARD_BODY_LIMIT_BYTES`              | 52428800 (50 MiB)                               | Largest request body (413 above) |
 * | `TRAINYARD_MAX_DATASET_ROWS`              | 200000                                          | Rows in one uploaded dataset (422 above) |
 * | `TRAINYARD_MAX_DATASET_COLUMNS`           | 4096                                            | Feature columns in one dataset (422 above) |
 * | `TRAINYARD_MAX_LAYERS`                    | 16                                              | Dense layers in one model (422 above) |
 * | `TRAINYARD_MAX_UNITS_PER_LAYER`           | 4096                                            | Units in one layer (422 above) |
 * | `TRAINYARD_MAX_PARAMETERS`                | 5000000                                         | Weights + biases in one model (422 above) |
 * | `TRAINYARD_MAX_EPOCHS`                    | 10000                                           | `training.epochs` (422 above) |
 * | `TRAINYARD_MAX_COMPUTE_BUDGET`            | 200000000                                       | epochs × dataset rows of one job (422 above) |
 * | `TRAINYARD_MAX_SNAPSHOTS_KEEP`            | 100                                             | `snapshots.keep` (422 above) |
 * | `TRAINYARD_MAX_QUEUED_JOBS_PER_TENANT`    | 100                                             | Queued jobs a tenant may have waiting (429 above) |
 * | `TRAINYARD_MAX_SSE_CONNECTIONS_PER_TENANT`| 20                                              | Open event streams per tenant per API process (429 above) |
 * | `TRAINYARD_MAX_PREDICT_ROWS`              | 10000                                           | Rows in one predict request (422 above) |
 * | `TRAINYARD_MAX_METADATA_BYTES`            | 16384                                           | JSON size of a job's `metadata` (422 above) |
 * | `TRAINYARD_RATE_LIMIT_PER_MINUTE`         | 0 (off)                                         | Requests per API key per minute, counted in Redis (429 + Retry-After above) |
 */
export interface Limits {
  bodyLimitBytes: number;
  maxDatasetRows: number;
  maxDatasetColumns: number;
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
  maxMetadataBytes: number;
  /** 0 turns rate limiting off. */
  rateLimitPerMinute: number;
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
  idempotencyTtlHours: number;
  shutdownTimeoutMs: number;
  sseHeartbeatMs: number;
  pageSizeDefault: number;
  pageSizeMax: number;
  metricsPageSize: number;
  limits: Limits;
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

  const config: Config = {
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    databaseUrl: read.url('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/trainyard', ['postgres:', 'postgresql:']),
    databasePoolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 1000),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queueName: read.string('TRAINYARD_QUEUE', 'trainyard-jobs'),
    workerConcurrency: read.integer('WORKER_CONCURRENCY', 1, 1, 256),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    adminKey: read.optionalSecret('TRAINYARD_ADMIN_KEY'),
    bootstrapKey: read.optionalSecret('TRAINYARD_BOOTSTRAP_KEY'),
    authCacheTtlMs: read.integer('TRAINYARD_AUTH_CACHE_TTL_MS', 5000, 0, 3_600_000),
    idempotencyTtlHours: read.integer('TRAINYARD_IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 365),
    shutdownTimeoutMs: read.integer('TRAINYARD_SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    sseHeartbeatMs: read.integer('TRAINYARD_SSE_HEARTBEAT_MS', 15_000, 100, 600_000),
    pageSizeDefault: read.integer('TRAINYARD_PAGE_SIZE_DEFAULT', 20, 1, 10_000),
    pageSizeMax: read.integer('TRAINYARD_PAGE_SIZE_MAX', 100, 1, 10_000),
    metricsPageSize: read.integer('TRAINYARD_METRICS_PAGE_SIZE', 1000, 1, 100_000),
    limits: {
      bodyLimitBytes: read.integer('TRAINYARD_BODY_LIMIT_BYTES', 50 * 1024 * 1024, 1024, 2 ** 31 - 1),
      maxDatasetRows: read.integer('TRAINYARD_MAX_DATASET_ROWS', 200_000, 1, 100_000_000),
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
      maxMetadataBytes: read.integer('TRAINYARD_MAX_METADATA_BYTES', 16_384, 0, 10_000_000),
      rateLimitPerMinute: read.integer('TRAINYARD_RATE_LIMIT_PER_MINUTE', 0, 0, 100_000_000),
    },
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

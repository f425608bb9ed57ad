import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives local defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/trainyard');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.queueName).toMatch(/^trainyard-jobs-trainyard-[0-9a-f]{10}$/);
    expect(config.adminKey).toBeNull();
    expect(config.bootstrapKey).toBeNull();
    expect(config.limits.rateLimitPerMinute).toBe(0);
    // A job per core: as many as the machine has (at least one).
    expect(config.workerConcurrency).toBe(availableParallelism());
    expect(config.workerConcurrency).toBeGreaterThanOrEqual(1);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      PORT: '8080',
      TRAINYARD_ADMIN_KEY: 'admin-secret',
      TRAINYARD_MAX_LAYERS: '3',
      TRAINYARD_BODY_LIMIT_BYTES: '1_048_576',
      WORKER_CONCURRENCY: '4',
    });
    expect(config.port).toBe(8080);
    expect(config.adminKey).toBe('admin-secret');
    expect(config.limits.maxLayers).toBe(3);
    expect(config.limits.bodyLimitBytes).toBe(1_048_576);
    expect(config.workerConcurrency).toBe(4);
  });

  it('names every bad variable at once', () => {
    let thrown: unknown;
    try {
      loadConfig({ PORT: 'eighty', TRAINYARD_MAX_EPOCHS: '-1', REDIS_URL: 'http://x', TRAINYARD_ADMIN_KEY: 'short' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('TRAINYARD_MAX_EPOCHS');
    expect(problems).toContain('REDIS_URL');
    expect(problems).toContain('TRAINYARD_ADMIN_KEY');
  });

  it('refuses a default page size above the maximum', () => {
    expect(() => loadConfig({ TRAINYARD_PAGE_SIZE_DEFAULT: '50', TRAINYARD_PAGE_SIZE_MAX: '10' })).toThrow(/PAGE_SIZE/);
  });

  it('reads the worker and queue retention settings, refusing a lock too short to renew', () => {
    const config = loadConfig({ WORKER_LOCK_DURATION_MS: '2000', TRAINYARD_RECONCILE_INTERVAL_MS: '500', TRAINYARD_QUEUE_KEEP_FAILED: '10' });
    expect(config.worker.lockDurationMs).toBe(2000);
    expect(config.worker.reconcileIntervalMs).toBe(500);
    expect(config.worker.maxJobAttempts).toBe(10);
    expect(config.queueRetention.keepFailed).toBe(10);
    expect(config.queueRetention.keepCompleted).toBe(1000);
    expect(() => loadConfig({ WORKER_LOCK_DURATION_MS: '10' })).toThrow(/WORKER_LOCK_DURATION_MS/);
  });

  it('reads the webhook settings with the webhooks package defaults, refusing zero attempts', () => {
    expect(loadConfig({}).webhooks).toEqual({ timeoutMs: 10_000, maxAttempts: 8, backoffMs: 2_000, concurrency: 8, enqueueTimeoutMs: 2_000, allowPrivate: false, allowedCidrs: [] });
    const config = loadConfig({ WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '0', WEBHOOK_CONCURRENCY: '2' });
    expect(config.webhooks).toEqual({ timeoutMs: 500, maxAttempts: 3, backoffMs: 0, concurrency: 2, enqueueTimeoutMs: 2_000, allowPrivate: false, allowedCidrs: [] });
    expect(() => loadConfig({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
  });

  it('reads the webhook allow-list, refusing what is not true/false or a CIDR range', () => {
    const config = loadConfig({ TRAINYARD_WEBHOOK_ALLOW_PRIVATE: 'true', TRAINYARD_WEBHOOK_ALLOWED_CIDRS: ' 10.1.0.0/16, fd00::/8 ,127.0.0.1/32' });
    expect(config.webhooks).toMatchObject({ allowPrivate: true, allowedCidrs: ['10.1.0.0/16', 'fd00::/8', '127.0.0.1/32'] });
    expect(() => loadConfig({ TRAINYARD_WEBHOOK_ALLOW_PRIVATE: 'yes please' })).toThrow(/TRAINYARD_WEBHOOK_ALLOW_PRIVATE/);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'fd00::/129', 'example.com/8', '10.0.0.0/8/1']) {
      expect(() => loadConfig({ TRAINYARD_WEBHOOK_ALLOWED_CIDRS: bad }), bad).toThrow(/TRAINYARD_WEBHOOK_ALLOWED_CIDRS/);
    }
  });

  it('reads the per-tenant fairness limits and the class limit', () => {
    const defaults = loadConfig({});
    expect(defaults.limits).toMatchObject({ maxClasses: 200, maxPredictCells: 2_000_000, maxConcurrentUploadsPerTenant: 4 });
    expect(defaults.worker.maxRunningJobsPerTenant).toBe(4);
    const config = loadConfig({
      TRAINYARD_MAX_CLASSES: '50', TRAINYARD_MAX_PREDICT_CELLS: '1000', TRAINYARD_MAX_CONCURRENT_UPLOADS_PER_TENANT: '1', TRAINYARD_MAX_RUNNING_JOBS_PER_TENANT: '2',
    });
    expect(config.limits).toMatchObject({ maxClasses: 50, maxPredictCells: 1000, maxConcurrentUploadsPerTenant: 1 });
    expect(config.worker.maxRunningJobsPerTenant).toBe(2);
    expect(() => loadConfig({ TRAINYARD_MAX_CLASSES: '1' })).toThrow(/TRAINYARD_MAX_CLASSES/);
  });

  it('takes the queue name from TRAINYARD_QUEUE, else derives it from the database, as every process of a deployment does', () => {
    expect(loadConfig({ TRAINYARD_QUEUE: 'trainyard-jobs' }).queueName).toBe('trainyard-jobs');
    const a = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/a' }).queueName;
    const b = loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/b' }).queueName;
    expect(a).not.toBe(b);
    expect(loadConfig({ DATABASE_URL: 'postgresql://worker:pw@localhost/a' }).queueName).toBe(a);
    expect(loadConfig({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/a', DATABASE_SCHEMA: 'x' }).queueName).not.toBe(a);
  });

  it('reads how long a worker puts back queue entries its database does not know', () => {
    expect(loadConfig({}).worker.unknownJobWaitSeconds).toBe(300);
    expect(loadConfig({ TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS: '0' }).worker.unknownJobWaitSeconds).toBe(0);
    expect(() => loadConfig({ TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS: '-1' })).toThrow(/TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS/);
  });

  it('reads the metrics refresh interval', () => {
    expect(loadConfig({}).metricsRefreshMs).toBe(5000);
    expect(loadConfig({ TRAINYARD_METRICS_REFRESH_MS: '0' }).metricsRefreshMs).toBe(0);
  });
});

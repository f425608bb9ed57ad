// A whole Trainyard for a test suite: a fresh PostgreSQL schema, its own queue name, and the real API
// and worker processes. For the CLI and dashboard suites, which test what a user runs against.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@trainyard/db';
import { JobQueue } from '@trainyard/queue';
import { ServiceProcess } from './service-process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Longest a process may take to start (tsx compiles on first run; the machine is shared). */
const START_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 100;

export interface ServiceOptions {
  /** Readable part of the schema and queue names. */
  name: string;
  /** Start a worker too (default true). */
  worker?: boolean;
  /** Extra environment for both processes (limits, intervals). */
  env?: Record<string, string>;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The bootstrap key of tenant `default`. */
  apiKey: string;
  queueName: string;
  api: ServiceProcess;
  worker: ServiceProcess | null;
  /** The last lines of every process, for a failure message. */
  logs(): string;
  /** Stops the processes, empties the queue, drops the schema. Idempotent. */
  stop(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const suffix = randomBytes(4).toString('hex');
  const queueName = `test-${options.name}-${suffix}`;
  const apiKey = `ty_${randomBytes(24).toString('base64url').replace(/[-_]/g, '0').slice(0, 32)}`;
  const database = await createTestDatabase({ prefix: options.name });
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL,
    TRAINYARD_QUEUE: queueName,
    TRAINYARD_BOOTSTRAP_KEY: apiKey,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // One job at a time unless a suite asks for more (the default is one per core): suites count on it.
    WORKER_CONCURRENCY: '1',
    ...options.env,
  };
  const api = new ServiceProcess('api', 'apps/api/src/main.ts', env);
  const worker = options.worker === false ? null : new ServiceProcess('worker', 'apps/worker/src/main.ts', env);
  let stopping: Promise<void> | undefined;
  const service: RunningService = {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    queueName,
    api,
    worker,
    logs: () => [api.tail(), worker?.tail() ?? ''].join('\n'),
    stop: () => (stopping ??= stopAll(api, worker, queueName, database)),
  };
  try {
    await Promise.all([waitForHealth(service.url, api), worker?.waitForOutput('worker ready')]);
  } catch (error) {
    const logs = service.logs();
    await service.stop();
    throw new Error(`the service did not start: ${(error as Error).message}\n${logs}`, { cause: error });
  }
  return service;
}

/** Every step runs even when one fails; the first failure is reported. */
async function stopAll(api: ServiceProcess, worker: ServiceProcess | null, queueName: string, database: TestDatabase): Promise<void> {
  const results = await Promise.allSettled([api.stop(), worker?.stop()]);
  const queue = new JobQueue({ name: queueName, redisUrl: REDIS_URL });
  results.push(...(await Promise.allSettled([queue.bull.obliterate({ force: true })])));
  results.push(...(await Promise.allSettled([queue.close(), database.drop()])));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

async function waitForHealth(url: string, api: ServiceProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!api.running) throw new Error('the API exited while starting');
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`the API did not answer /healthz within ${START_TIMEOUT_MS} ms`);
}

/** A port nobody listens on right now (the API binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

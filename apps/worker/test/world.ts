// One isolated world per test suite: its own PostgreSQL schema, its own queue name, a tenant, and helpers to
// submit jobs the way the API does (row first, then enqueue) and to watch them.
import { randomBytes } from 'node:crypto';
import { resolveTrainingConfig, type Activation, type TrainingConfig, type TrainingInput } from '@trainyard/backprop';
import { newId } from '@trainyard/contracts';
import { createTestDatabase, type Job, type TestDatabase } from '@trainyard/db';
import { loadConfig } from '@trainyard/config';
import { closeRedis, createRedis, JobQueue, unknownJobsKey } from '@trainyard/queue';
import { WorkerProcess } from './worker-process.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** How long a test waits for a state before failing with a description (not a speed assertion). */
export const WAIT_LIMIT_MS = 150_000;

export interface JobInput {
  dataset: string;
  layers: { units: number; activation: Activation }[];
  training?: TrainingInput;
  snapshots?: { everyEpochs?: number; keep?: number };
  initialWeights?: string | null;
  webhook?: { url: string; events: string[] } | null;
  /** For builtins the API fills these from the dataset; tests pass them for uploads. */
  task?: 'classification' | 'regression';
  inputSize?: number;
}

export interface World {
  db: TestDatabase;
  queue: JobQueue;
  tenantId: string;
  /** Environment for a worker process of this world. */
  env: Record<string, string>;
  spawnWorker(extra?: Record<string, string>): Promise<WorkerProcess>;
  /** Writes the job row (queued) and enqueues it, like POST /v1/jobs. */
  submit(input: JobInput, options?: { enqueue?: boolean }): Promise<{ id: string; training: TrainingConfig }>;
  job(id: string): Promise<Job>;
  waitForJob(id: string, what: string, test: (job: Job) => boolean): Promise<Job>;
  /** Polls until the condition holds; fails with `what` after WAIT_LIMIT_MS. */
  waitFor(what: string, condition: () => Promise<boolean>): Promise<void>;
  close(): Promise<void>;
}

const BUILTIN_SHAPES: Record<string, { task: 'classification' | 'regression'; features: number }> = {
  'builtin:iris': { task: 'classification', features: 4 },
  'builtin:xor': { task: 'classification', features: 2 },
  'builtin:spirals': { task: 'classification', features: 2 },
};

export interface WorldOptions {
  redisUrl?: string;
  /**
   * Default: a unique name. A name: that queue (two worlds on one name share a queue). null: TRAINYARD_QUEUE
   * unset, so the worker derives the name from its DATABASE_URL as a deployment does (the world's queue too).
   */
  queueName?: string | null;
}

export async function createWorld(name: string, options: WorldOptions = {}): Promise<World> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const db = await createTestDatabase({ prefix: `worker_${name}` });
  const queueName = options.queueName === null
    ? loadConfig({ DATABASE_URL: db.url }).queueName
    : options.queueName ?? `test-${name}-${randomBytes(6).toString('hex')}`;
  const queue = new JobQueue({ name: queueName, redisUrl });
  const tenantId = newId('tenant');
  await db.prisma.tenant.create({ data: { id: tenantId, name: `test ${name}`, webhookSecret: 'test-secret' } });
  const workers: WorkerProcess[] = [];

  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    TRAINYARD_QUEUE: options.queueName === null ? '' : queueName,
    DATABASE_POOL_SIZE: '4',
    // Short locks and frequent checks keep crash recovery quick in tests; see config.ts for the defaults.
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    TRAINYARD_RECONCILE_INTERVAL_MS: '1000',
  };

  const world: World = {
    db, queue, tenantId, env,
    async spawnWorker(extra = {}) {
      const worker = new WorkerProcess({ ...env, ...extra });
      workers.push(worker);
      await worker.ready();
      return worker;
    },
    async submit(input, { enqueue = true } = {}) {
      const shape = BUILTIN_SHAPES[input.dataset] ?? { task: input.task!, features: input.inputSize! };
      const output = input.layers[input.layers.length - 1];
      const training = resolveTrainingConfig(input.training, {
        task: shape.task, outputActivation: output.activation, outputUnits: output.units,
      });
      const spec = {
        model: { inputSize: shape.features, layers: input.layers },
        training,
        snapshots: { everyEpochs: 10, keep: 5, ...input.snapshots },
        metadata: null,
        webhook: input.webhook ?? null,
        initialWeights: input.initialWeights ?? null,
      };
      const id = newId('job');
      await db.prisma.job.create({
        data: { id, tenantId, datasetId: input.dataset, status: 'queued', spec: spec as object, epochs: training.epochs },
      });
      if (enqueue) await queue.enqueue(id);
      return { id, training };
    },
    job: (id) => db.prisma.job.findUniqueOrThrow({ where: { id } }),
    async waitForJob(id, what, test) {
      const deadline = Date.now() + WAIT_LIMIT_MS;
      for (;;) {
        const job = await world.job(id);
        if (test(job)) return job;
        // A finished job never changes again: no point waiting out the limit.
        if (Date.now() > deadline || ['succeeded', 'failed', 'cancelled'].includes(job.status)) {
          const logs = workers.map((worker) => worker.tail(15)).join('\n---\n');
          const error = job.errorCode ? ` (${job.errorCode}: ${job.errorMessage})` : '';
          throw new Error(`job ${id} never reached: ${what}; it is ${job.status}${error} at step ${job.step}/${job.steps}\n${logs}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async waitFor(what, condition) {
      const deadline = Date.now() + WAIT_LIMIT_MS;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await queue.bull.obliterate({ force: true }).catch(() => {});
      const redis = createRedis(redisUrl);
      await redis.del(unknownJobsKey(queueName)).catch(() => {});
      await closeRedis(redis);
      await queue.close();
      await db.drop();
    },
  };
  return world;
}

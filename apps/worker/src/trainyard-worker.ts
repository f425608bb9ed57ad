// One worker process: a BullMQ Worker whose processor trains jobs in threads, the cancel listener, and the
// reconciler loop. close() hands running jobs back to the queue (checkpointed) within the shutdown timeout.
import type { Config } from '@trainyard/config';
import { ThreadPool } from './thread-pool.ts';
import type { PrismaClient } from '@trainyard/db';
import {
  closeRedis, createRedis, parseJobPayload, reconcile, reconcileSweeps, type JobPayload, type JobQueue, type QueueSubscriber, type Unsubscribe,
} from '@trainyard/queue';
import { DelayedError, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WebhookDispatcher } from '@trainyard/webhooks';
import { ActiveJobs } from './active-jobs.ts';
import { processJob, type ProcessResult } from './process-job.ts';

export interface WorkerDeps {
  config: Pick<Config, 'databaseUrl' | 'redisUrl' | 'workerConcurrency' | 'shutdownTimeoutMs' | 'worker'>;
  prisma: PrismaClient;
  queue: JobQueue;
  subscriber: QueueSubscriber;
  /** Queues the webhook deliveries of status changes; its reconcile runs with the job reconciler. */
  webhooks: WebhookDispatcher | null;
  log: Logger;
}

/** Time kept back from the shutdown budget for closing connections after the jobs are handed back. */
const CLOSE_MARGIN_MS = 1_500;
/** How soon a queue entry this database does not know is offered again (to another deployment's workers). */
export const UNKNOWN_JOB_RETRY_MS = 5_000;
/** Ids already reported at length; later sightings get a short line. Bounded, cleared when full. */
const REPORTED_UNKNOWN_LIMIT = 10_000;

export class TrainyardWorker {
  private readonly active = new ActiveJobs();
  private readonly bull: Worker<JobPayload, ProcessResult>;
  /** BullMQ duplicates it for its blocking reads; we close the original. */
  private readonly connection: Redis;
  private stopCancel: Unsubscribe | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private closing: Promise<void> | undefined;
  private readonly reportedUnknown = new Set<string>();
  /** Warm training threads, one per concurrent job. */
  private readonly threads: ThreadPool;

  private constructor(private readonly deps: WorkerDeps) {
    const { config, log } = deps;
    const { lockDurationMs, stalledIntervalMs, maxStalledCount, checkpointIntervalMs, progressIntervalMs, maxJobAttempts } = config.worker;
    this.threads = new ThreadPool(config.workerConcurrency);
    const processorDeps = {
      prisma: deps.prisma, queue: deps.queue, webhooks: deps.webhooks, log, active: this.active, threads: this.threads,
      settings: {
        checkpointIntervalMs, progressIntervalMs, maxJobAttempts, replayWaitMs: config.worker.replayWaitSeconds * 1000,
        maxRunningJobsPerTenant: config.worker.maxRunningJobsPerTenant,
      },
    };
    this.connection = createRedis(config.redisUrl);
    const processor = async (job: BullJob<JobPayload>, token?: string): Promise<ProcessResult> =>
      (await this.knows(job)) ? processJob(processorDeps, job, token) : this.putBackUnknown(job, token);
    this.bull = new Worker<JobPayload, ProcessResult>(deps.queue.name, processor, {
      connection: this.connection,
      concurrency: config.workerConcurrency,
      autorun: false,
      // Training runs in a thread, so this process's event loop renews locks on time even under full CPU
      // load: a short lock is safe, and it bounds how long a killed worker's job waits to be picked up again.
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
      // The stall count is only a first line: the reconciler re-queues what BullMQ gives up on, and
      // Job.attempts (TRAINYARD_MAX_JOB_ATTEMPTS) is what ends a job that keeps killing its workers.
      maxStalledCount,
    });
    this.bull.on('error', (error) => log.error({ err: error }, 'queue worker error'));
    this.bull.on('failed', (job, error) => log.warn({ jobId: job?.id, err: error }, 'queue entry failed'));
    this.bull.on('stalled', (jobId) => log.warn({ jobId }, 'job stalled (its worker stopped renewing the lock); re-queued'));
    this.bull.on('lockRenewalFailed', (jobIds) => log.warn({ jobIds }, 'could not renew job locks'));
  }

  /** Listens for cancels, reconciles once, then starts taking jobs. */
  static async start(deps: WorkerDeps): Promise<TrainyardWorker> {
    const worker = new TrainyardWorker(deps);
    worker.threads.warm();
    worker.stopCancel = await deps.subscriber.onCancel((jobId) => {
      if (worker.active.cancel(jobId)) deps.log.info({ jobId }, 'cancel requested; stopping at the next step');
    });
    await worker.reconcileOnce();
    worker.reconcileTimer = setInterval(() => void worker.reconcileOnce(), deps.config.worker.reconcileIntervalMs);
    void worker.bull.run().catch((error: unknown) => deps.log.error({ err: error }, 'queue worker stopped'));
    await worker.bull.waitUntilReady();
    return worker;
  }

  /**
   * Re-queues what Redis lost (jobs, and webhook deliveries never queued); one pass at a time per process,
   * failures only logged (the next pass retries).
   */
  reconcileOnce(): Promise<void> {
    this.reconciling ??= this.reconcilePass().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcilePass(): Promise<void> {
    const { prisma, queue, webhooks, log } = this.deps;
    try {
      const result = await reconcile(prisma, queue);
      if (result.enqueued.length > 0) log.warn({ jobIds: result.enqueued }, 'reconciler re-queued jobs Redis did not hold');
    } catch (error) {
      log.warn({ err: error }, 'reconcile pass failed');
    }
    try {
      await webhooks?.reconcile(prisma);
    } catch (error) {
      log.warn({ err: error }, 'webhook reconcile pass failed');
    }
    try {
      const created = await reconcileSweeps(prisma, queue);
      if (created.length > 0) log.info({ jobIds: created }, 'reconciler started sweep trials');
    } catch (error) {
      log.warn({ err: error }, 'sweep reconcile pass failed');
    }
  }

  /** False only for a well-formed id that this database has no row for (a malformed one is processJob's to fail). */
  private async knows(job: BullJob<JobPayload>): Promise<boolean> {
    let jobId: string;
    try {
      jobId = parseJobPayload(job.data).jobId;
    } catch {
      return true;
    }
    return (await this.deps.prisma.job.findUnique({ where: { id: jobId }, select: { id: true } })) !== null;
  }

  /**
   * A job id this database does not know: the API writes the row before it enqueues, so the entry belongs to
   * another deployment sharing this queue (or its row was deleted). Never dropped silently: reported and
   * counted, put back (delayed) so that deployment's workers can take it, and failed `unknown_job` with the
   * reason once it has waited TRAINYARD_UNKNOWN_JOB_WAIT_SECONDS.
   */
  private async putBackUnknown(job: BullJob<JobPayload>, token?: string): Promise<never> {
    const { queue, log, config } = this.deps;
    const jobId = String(job.data.jobId);
    const sightings = await queue.recordUnknownJob().catch(() => null);
    const database = describeDatabase(config.databaseUrl);
    const where = { jobId, queue: queue.name, database, unknownJobSightings: sightings };
    const reason =
      `job ${jobId} is not in this worker's database (${database}) although it is on queue "${queue.name}": ` +
      'another Trainyard deployment shares this Redis queue. Give each deployment its own TRAINYARD_QUEUE ' +
      '(or leave it unset: the default is derived from DATABASE_URL)';
    const waitedMs = Date.now() - job.timestamp;
    if (waitedMs >= config.worker.unknownJobWaitSeconds * 1000) {
      log.error({ ...where, waitedSeconds: Math.round(waitedMs / 1000) }, `${reason}; the entry is failed (unknown_job)`);
      throw new UnrecoverableError(`unknown_job: ${reason}`);
    }
    if (this.reportedUnknown.size >= REPORTED_UNKNOWN_LIMIT) this.reportedUnknown.clear();
    if (this.reportedUnknown.has(jobId)) {
      log.warn(where, 'queue entry of a job this database does not know put back again');
    } else {
      this.reportedUnknown.add(jobId);
      log.error(where, `${reason}; the entry is put back for ${UNKNOWN_JOB_RETRY_MS / 1000} s, for the deployment that owns it`);
    }
    await job.moveToDelayed(Date.now() + UNKNOWN_JOB_RETRY_MS, token);
    throw new DelayedError();
  }

  get activeJobs(): number {
    return this.active.size;
  }

  /**
   * Graceful stop: no new jobs, running ones checkpoint at their next step and go back to the queue.
   * Threads still running when the budget is nearly spent are killed (their jobs resume from the last
   * checkpoint). Idempotent; every step runs even if an earlier one failed.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const { log, config } = this.deps;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.active.handBackAll();
    const closed = this.bull.close();
    const budget = Math.max(config.shutdownTimeoutMs - CLOSE_MARGIN_MS, 0);
    if (!(await settlesWithin(closed, budget))) {
      log.warn('jobs did not stop in time; killing their training threads');
      await settlesWithin(this.active.terminateAll(), 500);
    }
    const steps: [string, () => Promise<unknown>][] = [
      ['queue worker', () => closed],
      ['cancel listener', () => this.stopCancel?.() ?? Promise.resolve()],
      ['reconciler', () => this.reconciling ?? Promise.resolve()],
      ['training threads', () => this.threads.close()],
      ['redis connection', () => closeRedis(this.connection)],
    ];
    for (const [name, step] of steps) {
      try {
        if (!(await settlesWithin(step(), CLOSE_MARGIN_MS / 3))) log.warn(`${name} did not close in time`);
      } catch (error) {
        log.warn({ err: error }, `${name} failed to close`);
      }
    }
  }
}

/** host:port/database?schema=…, without the user and password, for log lines. */
function describeDatabase(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema');
    return `${url.host}${url.pathname}${schema ? `?schema=${schema}` : ''}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** True when the promise settled (either way) within the time. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

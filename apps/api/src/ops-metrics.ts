import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import type { PrismaClient } from '@trainyard/db';

const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed'] as const;
/** Finished jobs this recent feed the duration and throughput gauges. */
export const FINISHED_WINDOW_SECONDS = 3600;

/** What PostgreSQL and the queue said at one refresh. */
interface Reading {
  jobs: Map<string, number>;
  /** samples/s summed over running jobs (their latest progress report). */
  runningSamplesPerSecond: number;
  /** Over succeeded jobs that finished in the window: quantiles of finishedAt − startedAt, mean samples/s. */
  finished: { count: number; p50: number; p90: number; p99: number; max: number; meanSamplesPerSecond: number };
  queue: { counts: Record<string, number>; oldestWaitingSeconds: number; workers: number } | null;
}

interface FinishedRow {
  count: bigint;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean_sps: number | null;
}

/**
 * Gauges read from PostgreSQL (jobs by status, training throughput, durations of recently finished jobs)
 * and from BullMQ (depth by state, age of the oldest waiting entry, connected workers). Every gauge of one
 * scrape shares one reading, and a reading is reused for `refreshMs`, so a scrape storm costs at most one
 * grouped query and a few Redis calls per `refreshMs`. Durations are gauges over a sliding window of
 * finished rows rather than a histogram: PostgreSQL is the record, and every API instance reports the same
 * numbers however many instances there are or when they started.
 */
export function registerOpsMetrics(registry: Registry, prisma: PrismaClient, bullQueue: Queue | undefined, refreshMs: number): void {
  let last: { at: number; reading: Promise<Reading> } | undefined;
  const read = (): Promise<Reading> => {
    const now = Date.now();
    if (last === undefined || now - last.at >= refreshMs) {
      const reading = readAll(prisma, bullQueue);
      last = { at: now, reading };
      reading.catch(() => {
        if (last?.reading === reading) last = undefined; // a failed reading is not reused
      });
    }
    return last.reading;
  };

  const gauge = (name: string, help: string, labelNames: string[], fill: (gauge: Gauge, reading: Reading) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        fill(this, await read());
      },
    });

  gauge('trainyard_jobs', 'Jobs by status, from PostgreSQL', ['status'], (g, r) => {
    for (const status of JOB_STATUSES) g.set({ status }, r.jobs.get(status) ?? 0);
  });
  gauge('trainyard_training_samples_per_second', 'Training throughput: samples/s summed over running jobs (their latest progress report)', [], (g, r) =>
    g.set(r.runningSamplesPerSecond),
  );
  gauge(
    'trainyard_finished_job_samples_per_second',
    `Mean samples/s of jobs that succeeded in the last ${FINISHED_WINDOW_SECONDS} s`,
    [],
    (g, r) => g.set(r.finished.meanSamplesPerSecond),
  );
  gauge(
    'trainyard_job_duration_seconds',
    `Run time (finishedAt − startedAt) of jobs that succeeded in the last ${FINISHED_WINDOW_SECONDS} s, by quantile`,
    ['quantile'],
    (g, r) => {
      const { p50, p90, p99, max } = r.finished;
      for (const [quantile, value] of [['0.5', p50], ['0.9', p90], ['0.99', p99], ['1', max]] as const) g.set({ quantile }, value);
    },
  );
  gauge('trainyard_jobs_finished_window', `Jobs that succeeded in the last ${FINISHED_WINDOW_SECONDS} s (the sample behind the duration gauges)`, [], (g, r) =>
    g.set(r.finished.count),
  );
  if (bullQueue === undefined) return;
  gauge('trainyard_queue_jobs', 'BullMQ entries of the job queue by state', ['state'], (g, r) => {
    for (const state of QUEUE_STATES) g.set({ state }, r.queue?.counts[state] ?? 0);
  });
  gauge('trainyard_queue_oldest_waiting_seconds', 'Age of the oldest entry waiting for a worker (0 when none waits)', [], (g, r) =>
    g.set(r.queue?.oldestWaitingSeconds ?? 0),
  );
  gauge('trainyard_workers', 'BullMQ workers connected to the job queue (worker processes × their connections)', [], (g, r) => g.set(r.queue?.workers ?? 0));
}

async function readAll(prisma: PrismaClient, bullQueue: Queue | undefined): Promise<Reading> {
  const [statuses, running, finished, queue] = await Promise.all([
    prisma.job.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.job.aggregate({ where: { status: 'running' }, _sum: { samplesPerSecond: true } }),
    prisma.$queryRaw<FinishedRow[]>`
      SELECT count(*) AS count,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99,
             max(d) AS max,
             avg(sps) AS mean_sps
      FROM (SELECT extract(epoch FROM "finishedAt" - "startedAt")::float8 AS d, "samplesPerSecond" AS sps
            FROM jobs
            WHERE status = 'succeeded' AND "startedAt" IS NOT NULL
              AND "finishedAt" > now() - make_interval(secs => ${FINISHED_WINDOW_SECONDS})) AS recent`,
    // Redis down: the PostgreSQL gauges still answer, the queue ones read 0.
    bullQueue === undefined ? null : readQueue(bullQueue).catch(() => null),
  ]);
  const row = finished[0];
  return {
    jobs: new Map(statuses.map((count) => [count.status, count._count._all])),
    runningSamplesPerSecond: running._sum.samplesPerSecond ?? 0,
    finished: {
      count: Number(row?.count ?? 0),
      p50: row?.p50 ?? 0,
      p90: row?.p90 ?? 0,
      p99: row?.p99 ?? 0,
      max: row?.max ?? 0,
      meanSamplesPerSecond: row?.mean_sps ?? 0,
    },
    queue,
  };
}

async function readQueue(queue: Queue): Promise<Reading['queue']> {
  const [counts, oldest, workers] = await Promise.all([
    queue.getJobCounts(...QUEUE_STATES),
    queue.getWaiting(0, 0), // ascending: the entry that has waited longest
    queue.getWorkers(),
  ]);
  const since = oldest[0]?.timestamp;
  return { counts, oldestWaitingSeconds: since === undefined ? 0 : Math.max(0, (Date.now() - since) / 1000), workers: workers.length };
}
